/** The B2B Portal node's requests: the shared portal transport (nodes/shared/transport/portal.ts). */
export * from '../../shared/transport/portal';
