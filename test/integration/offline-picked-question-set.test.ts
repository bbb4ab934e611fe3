import { pickedQuestions } from '../support/offline-picked-questions.ts';
import { describeQuestionSet } from '../support/offline-question-runner.ts';

// The offline model's picked-rows set (issue 16): rows that belong to the rows a superlative picks, one row named by
// its key, rows over an amount. Written beside the rule, so it checks the rule's SQL on Postgres and MariaDB (the
// derived table that MySQL's IN needs); it is no held-out measure. See test/support/offline-picked-questions.ts.

const minimumCorrect = 25;
const maximumWrong = 0;

describeQuestionSet(pickedQuestions, { name: 'the picked-rows question set', minimumQuestions: 25, minimumCorrect, maximumWrong });
