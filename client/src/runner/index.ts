// Running code in the browser (the sandboxed runner, the run toolbar and output panel, the room relay).
export { RunBar } from './RunBar.tsx';
export { RunOutput } from './RunOutput.tsx';
export { type Runner, type RunProgram, useRunner } from './useRunner.ts';

import './runner.css';
