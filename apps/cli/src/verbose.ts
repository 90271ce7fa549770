/**
 * `--verbose` anywhere on the command line, or ERBM_DEBUG=1: errors are printed in full (stack, causes) and the
 * technical lines are written (database and job modes, read-model schema, progress, projection checkpoints).
 * Without it the CLI writes French sentences for its reader only.
 */
export const VERBOSE = process.argv.includes('--verbose') || ['1', 'true'].includes((process.env.ERBM_DEBUG ?? '').toLowerCase());
