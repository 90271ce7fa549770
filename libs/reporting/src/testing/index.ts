export * from './bilan.fixture';
