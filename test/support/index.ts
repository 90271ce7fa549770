export * from './databases';
export * from './scenario';
