/**
 * The opaque COM error every bridge stand-in (Subiekt's Sfera, Optima) answers with: what users of COM bridges
 * report in the wild (Lukegpl/api-subiekt-gt #37, #46, #73 — "Source: Unknown, Description: Unknown",
 * RPC_E_SERVERFAULT), which does not say whether the document was saved.
 */
export const OPAQUE_COM_ERROR = {
	code: 'com_error',
	message: 'Source: Unknown, Description: Unknown',
	retryable: true,
	com: { source: 'Unknown', description: 'Unknown', hresult: '0x80010105' },
};
