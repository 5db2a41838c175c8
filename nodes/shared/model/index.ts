export * from './decimal';
export * from './types';
export * from './vat';
export * from './validate';
export * from './nip';
export * from './stock';
