export * from './errors';
export * from './dates';
export * from './clock';
export * from './money';
export * from './decider';
export * from './validation';
