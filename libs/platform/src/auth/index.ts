export * from './principal';
export * from './api-keys';
export * from './oidc';
export * from './visibility';
