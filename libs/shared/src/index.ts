export * from './errors';
export * from './dates';
export * from './clock';
export * from './money';
export * from './decider';
export * from './validation';
export * from './command';
export * from './facts';
