// The unit tier's entry: every test file, and the harness's runner for run.mjs to call.
import './blocks.test.js';
import './marks.test.js';
import './watcher.test.js';
import './annotator.test.js';
import './card-view.test.js';
import './card.test.js';
import './common.test.js';
import { run } from './harness.js';

/** @type {any} */ (globalThis).runUnitTests = run;
