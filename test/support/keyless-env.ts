/**
 * Environment entries that unset the model and Langfuse keys and the app database URL this machine may
 * have, so a CLI run answers with the offline model and keeps its traces under the test's data directory.
 */
export const keylessEnv: Readonly<Record<string, string>> = {
  APP_DATABASE_URL: '',
  SQLAGENT_LOCAL_TRACES: '',
  OPENAI_API_KEY: '',
  OPENAI_BASE_URL: '',
  LANGFUSE_PUBLIC_KEY: '',
  LANGFUSE_SECRET_KEY: '',
};
