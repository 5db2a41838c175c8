/**
 * The slice of MS-TDS (7.4) the SQL Server simulator speaks: packet framing, PRELOGIN, LOGIN7, SQL batch,
 * RPC (sp_executesql) parameters and the response tokens a read-only SELECT needs. Written from the MS-TDS
 * specification and from what tedious (node_modules/tedious/lib) sends and parses — nothing more.
 */
import { encodeText } from '../../../nodes/shared/files/encoding';

export const PACKET = {
	SQL_BATCH: 0x01,
	RPC: 0x03,
	REPLY: 0x04,
	ATTENTION: 0x06,
	LOGIN7: 0x10,
	PRELOGIN: 0x12,
} as const;

export const ENCRYPT = { OFF: 0x00, ON: 0x01, NOT_SUP: 0x02, REQ: 0x03 } as const;

/** Polish_CI_AS: LCID 0x0415, ignore case + kana + width (flags 0x0D), version 0, sort id 0 → code page 1250. */
export const POLISH_CI_AS = Buffer.from([0x15, 0x04, 0xd0, 0x00, 0x00]);

export class TdsProtocolError extends Error {
	/** the RPC parameter being read, when known */
	parameter?: string;
}

export interface TdsMessage {
	type: number;
	payload: Buffer;
}

/** Reassembles client messages from 8-byte-header packets (a message ends with the EOM status bit). */
export class MessageReader {
	private pending: Buffer = Buffer.alloc(0);
	private parts: Buffer[] = [];
	private partType = -1;

	push(chunk: Buffer): TdsMessage[] {
		this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
		const out: TdsMessage[] = [];
		while (this.pending.length >= 8) {
			const length = this.pending.readUInt16BE(2);
			if (length < 8) throw new TdsProtocolError(`packet length ${length} is shorter than its header`);
			if (this.pending.length < length) break;
			const type = this.pending[0];
			const status = this.pending[1];
			const data = this.pending.subarray(8, length);
			this.pending = this.pending.subarray(length);
			if (type === PACKET.ATTENTION) {
				out.push({ type, payload: Buffer.from(data) });
				continue;
			}
			if (this.parts.length && this.partType !== type) throw new TdsProtocolError('packet type changed mid-message');
			this.partType = type;
			this.parts.push(Buffer.from(data));
			if (status & 0x01) {
				out.push({ type, payload: Buffer.concat(this.parts) });
				this.parts = [];
			}
		}
		return out;
	}
}

/** Splits a server message into packets of at most `packetSize` bytes; `last` = set EOM on the final one. */
export function frame(type: number, payload: Buffer, packetSize: number, last = true): Buffer {
	const room = packetSize - 8;
	const packets: Buffer[] = [];
	let id = 1;
	for (let at = 0; at < payload.length || packets.length === 0; at += room) {
		const data = payload.subarray(at, at + room);
		const header = Buffer.alloc(8);
		header[0] = type;
		header[1] = last && at + room >= payload.length ? 0x01 : 0x00;
		header.writeUInt16BE(8 + data.length, 2);
		header.writeUInt16BE(0x0035, 4); // SPID 53
		header[6] = id++ % 256;
		packets.push(header, data);
		if (payload.length === 0) break;
	}
	return Buffer.concat(packets);
}

// ---------------------------------------------------------------- PRELOGIN

export interface PreLogin {
	encryption?: number;
}

export function parsePreLogin(payload: Buffer): PreLogin {
	const result: PreLogin = {};
	let i = 0;
	while (i < payload.length && payload[i] !== 0xff) {
		const token = payload[i];
		const offset = payload.readUInt16BE(i + 1);
		const length = payload.readUInt16BE(i + 3);
		if (token === 0x01 && length >= 1) result.encryption = payload[offset];
		i += 5;
	}
	return result;
}

/** Server PRELOGIN answer: VERSION (SQL Server 2019 15.0.2000), ENCRYPTION, INSTOPT, THREADID, MARS. */
export function buildPreLoginResponse(encryption: number): Buffer {
	const options: Array<[number, Buffer]> = [
		[0x00, Buffer.from([15, 0, 0x07, 0xd0, 0x00, 0x00])],
		[0x01, Buffer.from([encryption])],
		[0x02, Buffer.from([0x00])],
		[0x03, Buffer.alloc(0)],
		[0x04, Buffer.from([0x00])],
	];
	const headerLength = options.length * 5 + 1;
	const header = Buffer.alloc(headerLength);
	let offset = headerLength;
	options.forEach(([token, data], n) => {
		header[n * 5] = token;
		header.writeUInt16BE(offset, n * 5 + 1);
		header.writeUInt16BE(data.length, n * 5 + 3);
		offset += data.length;
	});
	header[headerLength - 1] = 0xff;
	return Buffer.concat([header, ...options.map(([, d]) => d)]);
}

// ---------------------------------------------------------------- LOGIN7

export interface Login7 {
	tdsVersion: number;
	packetSize: number;
	readOnlyIntent: boolean;
	hostName: string;
	userName: string;
	password: string;
	appName: string;
	serverName: string;
	database: string;
}

/** The password is sent nibble-swapped and XORed with 0xA5 per byte (MS-TDS 2.2.6.4). */
function unscramble(bytes: Buffer): string {
	const out = Buffer.alloc(bytes.length);
	for (let i = 0; i < bytes.length; i++) {
		const b = bytes[i] ^ 0xa5;
		out[i] = ((b & 0x0f) << 4) | (b >> 4);
	}
	return out.toString('utf16le');
}

export function parseLogin7(p: Buffer): Login7 {
	if (p.length < 94) throw new TdsProtocolError('LOGIN7 shorter than its fixed part');
	const field = (at: number) => {
		const offset = p.readUInt16LE(at);
		const chars = p.readUInt16LE(at + 2);
		return p.subarray(offset, offset + chars * 2);
	};
	return {
		tdsVersion: p.readUInt32LE(4),
		packetSize: p.readUInt32LE(8),
		readOnlyIntent: (p[26] & 0x20) !== 0,
		hostName: field(36).toString('utf16le'),
		userName: field(40).toString('utf16le'),
		password: unscramble(field(44)),
		appName: field(48).toString('utf16le'),
		serverName: field(52).toString('utf16le'),
		database: field(68).toString('utf16le'),
	};
}

// ---------------------------------------------------------------- client requests

/** Skips ALL_HEADERS (TDS 7.2+): a 4-byte total length that includes itself. */
function skipAllHeaders(p: Buffer): number {
	const total = p.readUInt32LE(0);
	if (total < 4 || total > p.length) throw new TdsProtocolError('bad ALL_HEADERS length');
	return total;
}

export function parseSqlBatch(p: Buffer): string {
	return p.subarray(skipAllHeaders(p)).toString('utf16le');
}

/** A parameter value as sent: ints as number, text as string, datetime as Date (its UTC fields = what was sent). */
export type ParamValue = number | string | boolean | Date | bigint | null;

export interface RpcParam {
	name: string;
	/** the TDS type id and a readable name */
	typeId: number;
	typeName: string;
	value: ParamValue;
}

export interface RpcRequest {
	procedure: string | number;
	params: RpcParam[];
}

const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1900, 0, 1);
const DATE_0001 = Date.UTC(2000, 0, 1) - 730_119 * DAY_MS; // 0001-01-01 (Date.UTC maps years < 100 to 19xx)

class Cursor {
	constructor(
		readonly b: Buffer,
		public at = 0,
	) {}
	need(n: number) {
		if (this.at + n > this.b.length) throw new TdsProtocolError('RPC request ends inside a parameter');
	}
	u8() {
		this.need(1);
		return this.b[this.at++];
	}
	u16() {
		this.need(2);
		const v = this.b.readUInt16LE(this.at);
		this.at += 2;
		return v;
	}
	u32() {
		this.need(4);
		const v = this.b.readUInt32LE(this.at);
		this.at += 4;
		return v;
	}
	bytes(n: number) {
		this.need(n);
		const v = this.b.subarray(this.at, this.at + n);
		this.at += n;
		return v;
	}
}

function readIntLE(b: Buffer): number | bigint {
	switch (b.length) {
		case 1:
			return b.readUInt8(0);
		case 2:
			return b.readInt16LE(0);
		case 4:
			return b.readInt32LE(0);
		case 8:
			return b.readBigInt64LE(0);
		default:
			throw new TdsProtocolError(`integer of ${b.length} bytes`);
	}
}

function decodeDateTime(days: number, threeHundredths: number): Date {
	return new Date(EPOCH_1900 + days * DAY_MS + Math.round((threeHundredths * 10) / 3));
}

function readParamValue(c: Cursor): { typeId: number; typeName: string; value: ParamValue } {
	const typeId = c.u8();
	switch (typeId) {
		case 0x26: {
			c.u8();
			const len = c.u8();
			const v = len === 0 ? null : readIntLE(c.bytes(len));
			return { typeId, typeName: 'intn', value: v };
		}
		case 0x38:
			return { typeId, typeName: 'int', value: c.bytes(4).readInt32LE(0) };
		case 0x68: {
			c.u8();
			const len = c.u8();
			return { typeId, typeName: 'bitn', value: len === 0 ? null : c.bytes(len)[0] !== 0 };
		}
		case 0x6f: {
			c.u8();
			const len = c.u8();
			if (len === 0) return { typeId, typeName: 'datetimen', value: null };
			const b = c.bytes(len);
			if (len === 8)
				return { typeId, typeName: 'datetimen', value: decodeDateTime(b.readInt32LE(0), b.readUInt32LE(4)) };
			// smalldatetime: days u16, minutes u16
			return {
				typeId,
				typeName: 'datetimen',
				value: new Date(EPOCH_1900 + b.readUInt16LE(0) * DAY_MS + b.readUInt16LE(2) * 60_000),
			};
		}
		case 0xe7:
		case 0xa7:
		case 0xef:
		case 0xaf: {
			const maxLength = c.u16();
			c.bytes(5); // collation
			const unicode = typeId === 0xe7 || typeId === 0xef;
			let raw: Buffer | null;
			if (maxLength === 0xffff) {
				const lo = c.u32();
				const hi = c.u32();
				if (lo === 0xffffffff && hi === 0xffffffff) raw = null;
				else {
					const chunks: Buffer[] = [];
					for (;;) {
						const n = c.u32();
						if (n === 0) break;
						chunks.push(c.bytes(n));
					}
					raw = Buffer.concat(chunks);
				}
			} else {
				const len = c.u16();
				raw = len === 0xffff ? null : c.bytes(len);
			}
			const name = unicode ? 'nvarchar' : 'varchar';
			// varchar parameters are decoded as latin1 here: the pack sends nvarchar only
			return { typeId, typeName: name, value: raw === null ? null : raw.toString(unicode ? 'utf16le' : 'latin1') };
		}
		case 0x6a:
		case 0x6c: {
			c.u8();
			c.u8(); // precision
			const scale = c.u8();
			const len = c.u8();
			if (len === 0) return { typeId, typeName: 'decimal', value: null };
			const b = c.bytes(len);
			let m = 0n;
			for (let i = len - 1; i >= 1; i--) m = (m << 8n) | BigInt(b[i]);
			const v = Number(m) / 10 ** scale;
			return { typeId, typeName: 'decimal', value: b[0] === 1 ? v : -v };
		}
		case 0x6e: {
			c.u8();
			const len = c.u8();
			if (len === 0) return { typeId, typeName: 'money', value: null };
			const b = c.bytes(len);
			const units =
				len === 4 ? BigInt(b.readInt32LE(0)) : (BigInt(b.readInt32LE(0)) << 32n) | BigInt(b.readUInt32LE(4));
			return { typeId, typeName: 'money', value: Number(units) / 10000 };
		}
		case 0x28: {
			const len = c.u8();
			if (len === 0) return { typeId, typeName: 'date', value: null };
			return { typeId, typeName: 'date', value: new Date(DATE_0001 + c.bytes(3).readUIntLE(0, 3) * DAY_MS) };
		}
		case 0x2a: {
			const scale = c.u8();
			const len = c.u8();
			if (len === 0) return { typeId, typeName: 'datetime2', value: null };
			const b = c.bytes(len);
			const timeLen = len - 3;
			const ticks = Number(b.readUIntLE(0, timeLen));
			const days = b.readUIntLE(timeLen, 3);
			return { typeId, typeName: 'datetime2', value: new Date(DATE_0001 + days * DAY_MS + ticks / 10 ** (scale - 3)) };
		}
		default:
			throw new TdsProtocolError(`parameter type 0x${typeId.toString(16)} is not simulated`);
	}
}

export function parseRpc(p: Buffer): RpcRequest {
	const c = new Cursor(p, skipAllHeaders(p));
	const nameLength = c.u16();
	const procedure = nameLength === 0xffff ? c.u16() : c.bytes(nameLength * 2).toString('utf16le');
	c.u16(); // option flags
	const params: RpcParam[] = [];
	while (c.at < p.length) {
		const nameChars = c.u8();
		const name = c.bytes(nameChars * 2).toString('utf16le');
		c.u8(); // status flags
		try {
			params.push({ name, ...readParamValue(c) });
		} catch (e) {
			if (e instanceof TdsProtocolError) e.parameter = name;
			throw e;
		}
	}
	return { procedure, params };
}

// ---------------------------------------------------------------- column types and values

export type SqlType =
	| { kind: 'int' }
	| { kind: 'bit' }
	| { kind: 'money' }
	| { kind: 'datetime' }
	| { kind: 'varchar'; length: number }
	/** char(n): fixed length, padded with spaces (Subiekt's currency codes: dok_Waluta char(3)) */
	| { kind: 'char'; length: number }
	| { kind: 'nvarchar'; length: number }
	/** image (legacy LOB, Subiekt's tw_ZdjecieTw.zd_Zdjecie): IMAGETYPE with text pointer; `table` = its table, dbo */
	| { kind: 'image'; table: string };
// no decimal result type: none of the columns the pack reads is decimal in the Subiekt models (all money)

export interface ColumnDef {
	name: string;
	type: SqlType;
	/** NOT NULL columns go out as fixed-length types (INT4, BIT, MONEY, DATETIME), as SQL Server does */
	nullable: boolean;
}

/** A cell value: int → number, bit → boolean, money → bigint of 1/10 000, datetime → Date (wall clock in UTC fields), text → string, image → Buffer. */
export type Cell = number | boolean | bigint | Date | string | Buffer | null;

function bVarchar(s: string): Buffer {
	const b = Buffer.from(s, 'utf16le');
	return Buffer.concat([Buffer.from([s.length]), b]);
}

function usVarchar(s: string): Buffer {
	const len = Buffer.alloc(2);
	len.writeUInt16LE(s.length);
	return Buffer.concat([len, Buffer.from(s, 'utf16le')]);
}

function typeInfo(col: ColumnDef): Buffer {
	const t = col.type;
	const nn = !col.nullable;
	switch (t.kind) {
		case 'int':
			return nn ? Buffer.from([0x38]) : Buffer.from([0x26, 4]);
		case 'bit':
			return nn ? Buffer.from([0x32]) : Buffer.from([0x68, 1]);
		case 'money':
			return nn ? Buffer.from([0x3c]) : Buffer.from([0x6e, 8]);
		case 'datetime':
			return nn ? Buffer.from([0x3d]) : Buffer.from([0x6f, 8]);
		case 'varchar':
		case 'char':
		case 'nvarchar': {
			const b = Buffer.alloc(3);
			b[0] = t.kind === 'varchar' ? 0xa7 : t.kind === 'char' ? 0xaf : 0xe7;
			b.writeUInt16LE(t.kind === 'nvarchar' ? t.length * 2 : t.length, 1);
			return Buffer.concat([b, POLISH_CI_AS]);
		}
		case 'image': {
			// IMAGETYPE 0x22, LONGLEN max size, then the table name (TDS 7.2+: part count + US_VARCHAR parts)
			const head = Buffer.alloc(5);
			head[0] = 0x22;
			head.writeUInt32LE(0x7fffffff, 1);
			return Buffer.concat([head, Buffer.from([2]), usVarchar('dbo'), usVarchar(t.table)]);
		}
	}
}

export function colMetadata(cols: ColumnDef[]): Buffer {
	const head = Buffer.alloc(3);
	head[0] = 0x81;
	head.writeUInt16LE(cols.length, 1);
	const parts: Buffer[] = [head];
	for (const col of cols) {
		const meta = Buffer.alloc(6); // UserType u32 = 0, Flags u16
		meta.writeUInt16LE(col.nullable ? 0x0001 : 0x0000, 4);
		parts.push(meta, typeInfo(col), bVarchar(col.name));
	}
	return Buffer.concat(parts);
}

function moneyBytes(v: bigint): Buffer {
	const b = Buffer.alloc(8);
	const u = BigInt.asUintN(64, v);
	b.writeUInt32LE(Number(u >> 32n), 0);
	b.writeUInt32LE(Number(u & 0xffffffffn), 4);
	return b;
}

function dateTimeBytes(d: Date): Buffer {
	const ms = d.getTime() - EPOCH_1900;
	let days = Math.floor(ms / DAY_MS);
	let ticks = Math.round(((ms - days * DAY_MS) * 3) / 10);
	if (ticks >= 25_920_000) {
		days += 1;
		ticks = 0;
	}
	const b = Buffer.alloc(8);
	b.writeInt32LE(days, 0);
	b.writeUInt32LE(ticks, 4);
	return b;
}

function cellBytes(col: ColumnDef, v: Cell): Buffer {
	const t = col.type;
	const nn = !col.nullable;
	if (v === null && nn) throw new Error(`column ${col.name} is NOT NULL but the simulator produced NULL`);
	switch (t.kind) {
		case 'int': {
			if (v === null) return Buffer.from([0]);
			const b = Buffer.alloc(4);
			b.writeInt32LE(Number(v));
			return nn ? b : Buffer.concat([Buffer.from([4]), b]);
		}
		case 'bit':
			if (v === null) return Buffer.from([0]);
			return nn ? Buffer.from([v ? 1 : 0]) : Buffer.from([1, v ? 1 : 0]);
		case 'money':
			if (v === null) return Buffer.from([0]);
			return nn ? moneyBytes(BigInt(v as bigint)) : Buffer.concat([Buffer.from([8]), moneyBytes(BigInt(v as bigint))]);
		case 'datetime':
			if (v === null) return Buffer.from([0]);
			return nn ? dateTimeBytes(v as Date) : Buffer.concat([Buffer.from([8]), dateTimeBytes(v as Date)]);
		case 'varchar':
		case 'char':
		case 'nvarchar': {
			if (v === null) return Buffer.from([0xff, 0xff]);
			const s = t.kind === 'char' ? String(v).padEnd(t.length, ' ') : String(v);
			const data = t.kind === 'nvarchar' ? Buffer.from(s, 'utf16le') : encodeText(s, 'windows-1250');
			const units = t.kind === 'nvarchar' ? data.length / 2 : data.length;
			if (units > t.length) {
				// SQL Server would have refused the write ("String or binary data would be truncated"): the seed is wrong
				throw new Error(`"${s}" does not fit ${col.name} ${t.kind}(${t.length}): such a row cannot exist in Subiekt`);
			}
			const len = Buffer.alloc(2);
			len.writeUInt16LE(data.length);
			return Buffer.concat([len, data]);
		}
		case 'image': {
			if (v === null) return Buffer.from([0]); // text pointer length 0 = NULL
			const data = v as unknown as Buffer;
			const len = Buffer.alloc(4);
			len.writeUInt32LE(data.length);
			// TextPtr length 16, the pointer, an 8-byte timestamp, then the data
			return Buffer.concat([Buffer.from([16]), Buffer.alloc(16, 0xab), Buffer.alloc(8), len, data]);
		}
	}
}

export function row(cols: ColumnDef[], values: Cell[]): Buffer {
	return Buffer.concat([Buffer.from([0xd1]), ...cols.map((c, i) => cellBytes(c, values[i] ?? null))]);
}

// ---------------------------------------------------------------- other tokens

export const DONE = { FINAL: 0x00, MORE: 0x01, ERROR: 0x02, COUNT: 0x10, ATTN: 0x20 } as const;
export const DONE_TOKEN = { DONE: 0xfd, DONEPROC: 0xfe, DONEINPROC: 0xff } as const;
const CMD_SELECT = 0xc1;

export function done(token: number, status: number, rowCount = 0, curCmd = CMD_SELECT): Buffer {
	const b = Buffer.alloc(13);
	b[0] = token;
	b.writeUInt16LE(status, 1);
	b.writeUInt16LE(curCmd, 3);
	b.writeBigUInt64LE(BigInt(rowCount), 5);
	return b;
}

export function returnStatus(value: number): Buffer {
	const b = Buffer.alloc(5);
	b[0] = 0x79;
	b.writeInt32LE(value, 1);
	return b;
}

export interface ServerMessage {
	number: number;
	state: number;
	class: number;
	message: string;
	serverName?: string;
	procName?: string;
	line?: number;
}

/** ERROR (0xAA) or INFO (0xAB) token. */
export function message(kind: 'error' | 'info', m: ServerMessage): Buffer {
	const body = Buffer.concat([
		(() => {
			const b = Buffer.alloc(6);
			b.writeInt32LE(m.number, 0);
			b[4] = m.state;
			b[5] = m.class;
			return b;
		})(),
		usVarchar(m.message),
		bVarchar(m.serverName ?? 'SUBIEKT-SQL'),
		bVarchar(m.procName ?? ''),
		(() => {
			const b = Buffer.alloc(4);
			b.writeInt32LE(m.line ?? 1, 0);
			return b;
		})(),
	]);
	const head = Buffer.alloc(3);
	head[0] = kind === 'error' ? 0xaa : 0xab;
	head.writeUInt16LE(body.length, 1);
	return Buffer.concat([head, body]);
}

function envChange(type: number, body: Buffer): Buffer {
	const head = Buffer.alloc(4);
	head[0] = 0xe3;
	head.writeUInt16LE(body.length + 1, 1);
	head[3] = type;
	return Buffer.concat([head, body]);
}

export const envDatabase = (now: string, before: string) =>
	envChange(1, Buffer.concat([bVarchar(now), bVarchar(before)]));
export const envLanguage = (now: string, before: string) =>
	envChange(2, Buffer.concat([bVarchar(now), bVarchar(before)]));
export const envPacketSize = (now: number, before: number) =>
	envChange(4, Buffer.concat([bVarchar(String(now)), bVarchar(String(before))]));
export const envCollation = (collation: Buffer): Buffer =>
	envChange(7, Buffer.concat([Buffer.from([collation.length]), collation, Buffer.from([0])]));

/** LOGINACK: interface SQL_TSQL, TDS 7.4, program name and version (SQL Server 15.0.2000). */
export function loginAck(): Buffer {
	const body = Buffer.concat([
		Buffer.from([0x01]),
		Buffer.from([0x74, 0x00, 0x00, 0x04]),
		bVarchar('Microsoft SQL Server'),
		Buffer.from([15, 0, 0x07, 0xd0]),
	]);
	const head = Buffer.alloc(3);
	head[0] = 0xad;
	head.writeUInt16LE(body.length, 1);
	return Buffer.concat([head, body]);
}
