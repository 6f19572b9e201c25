/** Where the project's files are at run time: the host's name for native/project-root.ts (one root finder). */
export { PROJECT_ROOT, projectPath } from '../../native/project-root.js';
