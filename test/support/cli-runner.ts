import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../../src/cli/main.ts';

const root = path.resolve(import.meta.dirname, '../..');
const execute = promisify(execFile);

/** What a CLI run printed and how it exited. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in this process (`runCli`), with `env` over this process's environment: the same parsing,
 * commands, output and exit codes as the installed command, without starting a process.
 */
export async function runCliInProcess(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(args, {
    out: (text) => void stdout.push(text),
    err: (text) => void stderr.push(text),
    env: { ...process.env, ...env },
    terminal: null,
  });
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

/** Runs the installed command (`node bin/sqlagent.mjs …`) as a process, exactly as a user would. */
export async function runCliProcess(args: string[], env: Record<string, string> = {}, timeoutMs = 240_000): Promise<CliRun> {
  try {
    const { stdout, stderr } = await execute(process.execPath, [path.join(root, 'bin/sqlagent.mjs'), ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

/** A `sqlagent serve` process on a free port, once it has said where it listens. */
export interface ServeProcess {
  url: string;
  child: ChildProcess;
  /** Everything it has logged so far (JSON lines on stderr). */
  output(): string;
  /** Its exit code, once it exits. */
  exited: Promise<number | null>;
}

/** Starts `bin/sqlagent.mjs serve --port 0` with `env` over this process's environment. */
export async function startServeProcess(env: Record<string, string>): Promise<ServeProcess> {
  const child = spawn(process.execPath, [path.join(root, 'bin/sqlagent.mjs'), 'serve', '--port', '0'], {
    cwd: root,
    env: { ...process.env, ...env },
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr!.on('data', (chunk) => {
        output += chunk;
        const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
        if (match) resolve(match[1]);
      });
      void exited.then((code) => reject(new Error(`serve exited with ${code}: ${output}`)));
    });
    return { url, child, output: () => output, exited };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}
