/**
 * A small English stop-word list: function words, pronouns, auxiliaries, and the filler verbs people put in
 * front of data questions ("show me", "list all", "how many"). Entries are lower-case surface forms; the
 * tokenizer checks them before stemming.
 */
export const stopWords: ReadonlySet<string> = new Set([
  // Articles, conjunctions and prepositions.
  'a', 'an', 'the', 'and', 'or', 'nor', 'but', 'if', 'than', 'then', 'so', 'as',
  'of', 'in', 'on', 'at', 'to', 'for', 'from', 'by', 'with', 'into', 'onto', 'about', 'per', 'via',
  'above', 'below', 'before', 'after', 'during', 'until', 'through', 'between', 'over', 'under', 'up', 'down', 'out', 'off',
  // Pronouns and determiners.
  'i', 'me', 'my', 'we', 'us', 'our', 'ours', 'you', 'your', 'yours', 'he', 'him', 'his', 'she', 'her', 'hers',
  'it', 'its', 'itself', 'they', 'them', 'their', 'theirs', 'this', 'that', 'these', 'those',
  'all', 'any', 'each', 'every', 'both', 'either', 'few', 'more', 'most', 'other', 'some', 'such', 'same', 'own',
  'no', 'not', 'only', 'very', 'too', 'also', 'just', 'there', 'here',
  // Question words.
  'what', 'which', 'who', 'whom', 'whose', 'when', 'where', 'why', 'how',
  // Auxiliaries.
  'am', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'do', 'does', 'did', 'doing', 'done',
  'have', 'has', 'had', 'having', 'can', 'could', 'will', 'would', 'shall', 'should', 'may', 'might', 'must',
  // Request fillers of data questions.
  'show', 'list', 'give', 'tell', 'find', 'get', 'display', 'please', 'many', 'much',
  // Fragments left by possessives, contractions and abbreviations ("customer's", "don't", "e.g.", "etc.").
  's', 't', 'eg', 'ie', 'etc',
]);

/** Whether a lower-case word is on the stop-word list. */
export function isStopWord(word: string): boolean {
  return stopWords.has(word);
}
