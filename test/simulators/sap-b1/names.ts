/** Moved to ../common/names.ts (shared by the SAP and enova365 simulators); kept so SAP's imports stay as they are. */
export * from '../common/names';
