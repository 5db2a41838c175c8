export * from './errors';
export * from './paginate';
export * from './request';
export * from './retry';
