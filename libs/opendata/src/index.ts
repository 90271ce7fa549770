export * from './scdl';
export * from './scdl.queries';
