/** HTTP plumbing the ERP simulators share (SAP B1, enova365, Business Central). */
import type http from 'node:http';

/**
 * A request body up to `max` bytes; a longer one is read to the end (the client gets its answer, e.g. a 413) and
 * flagged `tooLarge`, keeping only what came before the limit.
 */
export async function readBody(req: http.IncomingMessage, max: number): Promise<{ buf: Buffer; tooLarge: boolean }> {
	const chunks: Buffer[] = [];
	let size = 0;
	let tooLarge = false;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > max) tooLarge = true;
		else chunks.push(chunk as Buffer);
	}
	return { buf: Buffer.concat(chunks), tooLarge };
}
