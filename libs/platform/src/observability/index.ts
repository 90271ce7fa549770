export * from './request-context';
export * from './logger';
export * from './metrics';
export * from './http';
export * from './tracing';
export * from './metrics-server';
