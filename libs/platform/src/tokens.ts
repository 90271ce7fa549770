/** DI tokens of the ports bound in CoreModule. */
export const EVENT_STORE = Symbol('EventStore');
export const CLOCK = Symbol('Clock');
export const READ_DB = Symbol('ReadModelDataSource');
export const COMMAND_EXECUTOR = Symbol('CommandExecutor');
export const APP_CONFIG = Symbol('AppConfig');
export const REDIS = Symbol('Redis');
export const JOB_QUEUE = Symbol('JobQueue');
export const API_KEYS = Symbol('ApiKeys');
export const OIDC_VERIFIER = Symbol('OidcVerifier');
export const STREAM_VISIBILITY = Symbol('StreamVisibility');
/** The application's pino logger (JSON lines; docs/operations.md#observability). */
export const LOGGER = Symbol('Logger');
/** The application's Prometheus metrics (`Metrics`). */
export const METRICS = Symbol('Metrics');
