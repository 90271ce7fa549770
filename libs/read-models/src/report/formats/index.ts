export * from './tables';
export * from './csv';
export * from './xlsx';
export * from './charts';
export * from './html';
export * from './pdf';
export { reportStamp, stampZip } from './zip';
export * from './render';
export * from './forecast-report';
