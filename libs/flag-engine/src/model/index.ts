export * from './reason';
export * from './error-code';
export * from './flag';
export * from './evaluation';
