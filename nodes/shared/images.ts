/**
 * Product images on their way from an ERP to the portal: one n8n item per image, the bytes as binary data
 * (n8n keeps them out of the JSON: in filesystem/S3 binary mode they never sit in the execution's JSON), the
 * JSON the canonical ProductImage record plus `contentHash`.
 *
 * Why a content hash: the ERPs say nothing reliable about a changed picture. SAP B1 keeps only a file name
 * (Items.Picture): replacing the file in the pictures folder under the same name does not touch the item's
 * UpdateDate. Subiekt GT's tw_ZdjecieTw has no modification date. So every image is read, and the Delta guard
 * (nodes/shared/delta.ts) compares the hash of its record — which holds the bytes' SHA-256 — with the last run's,
 * passing on only new and changed pictures.
 *
 * The type comes from the bytes (magic numbers), never from the file name: SAP pictures are often .bmp or
 * misnamed, and the portal accepts only JPEG, PNG, WebP and GIF.
 */
import * as crypto from 'node:crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { ProductImage } from './model/types';

export type ImageType = ProductImage['contentType'];

export const IMAGE_EXTENSION: Record<ImageType, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'image/gif': 'gif',
};

/** The image type of the bytes, or a description of what they are instead (for the error message). */
export function sniffImage(bytes: Uint8Array): { type: ImageType } | { problem: string } {
	const b = bytes;
	const at = (i: number, ...sig: number[]) => sig.every((v, k) => b[i + k] === v);
	if (b.length < 12) return { problem: `has ${b.length} bytes only: not an image` };
	if (at(0, 0xff, 0xd8, 0xff)) return { type: 'image/jpeg' };
	if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { type: 'image/png' };
	if (at(0, 0x47, 0x49, 0x46, 0x38) && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) return { type: 'image/gif' };
	if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return { type: 'image/webp' };
	if (at(0, 0x42, 0x4d))
		return { problem: 'is a BMP bitmap: the portal takes JPEG, PNG, WebP or GIF (convert it in the ERP)' };
	if (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a))
		return { problem: 'is a TIFF image: the portal takes JPEG, PNG, WebP or GIF (convert it in the ERP)' };
	const head = Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
	return { problem: `is not a JPEG, PNG, WebP or GIF image (starts with bytes ${head})` };
}

/**
 * An ERP file name that may be used as a path segment or a file name: refused when it could leave the folder
 * (`..`, `/`, `\`, a drive letter, control characters) — SAP's Picture field is free text a user typed.
 */
export function checkPictureName(name: string): string | undefined {
	if (!name.trim()) return 'is empty';
	if (/[/\\]/.test(name))
		return 'contains a path separator (/ or \\): only a file name in the pictures folder is allowed';
	if (name.includes('..')) return 'contains ".."';
	if (/^[A-Za-z]:/.test(name)) return 'starts with a drive letter';
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f\u007f]/.test(name)) return 'contains a control character';
	return undefined;
}

/**
 * A file name safe for the portal and for any file system: letters (Polish ones too), digits, `.`, `_`, `-`;
 * anything else becomes `_`; the extension is the one of the real type.
 */
export function safeImageFileName(base: string, type: ImageType): string {
	const stem = base
		.replace(/\.[A-Za-z0-9]{1,5}$/, '')
		.normalize('NFC')
		.replace(/[^\p{L}\p{N}._-]+/gu, '_')
		.replace(/^[._]+/, '')
		.replace(/\.{2,}/g, '.')
		.slice(0, 200);
	return `${stem || 'image'}.${IMAGE_EXTENSION[type]}`;
}

/** SHA-256 of the bytes, hex: what the Delta guard sees change when a picture is replaced under the same name. */
export function imageHash(bytes: Uint8Array): string {
	return crypto.createHash('sha256').update(bytes).digest('hex');
}

export interface ImageSource {
	productCode: string;
	position: number;
	/** the ERP's file name, or a name made from the product code */
	fileName: string;
}

/** The canonical record (with contentHash) of an image's bytes; throws naming the product when they are no image. */
export function imageRecord(source: ImageSource, bytes: Uint8Array): ProductImage & IDataObject {
	const sniffed = sniffImage(bytes);
	if ('problem' in sniffed)
		throw new Error(
			`product image "${source.productCode}" #${source.position} (${source.fileName}): field "dataBase64" ${sniffed.problem}`,
		);
	return {
		productCode: source.productCode,
		position: source.position,
		fileName: safeImageFileName(source.fileName, sniffed.type),
		contentType: sniffed.type,
		contentHash: imageHash(bytes),
	};
}

/** One output item: the record as JSON, the bytes as binary data under `property`. */
export async function imageItem(
	ctx: IExecuteFunctions,
	source: ImageSource,
	bytes: Buffer,
	property: string,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const json = imageRecord(source, bytes);
	const binary = await ctx.helpers.prepareBinaryData(bytes, json.fileName, json.contentType);
	return { json, binary: { [property]: binary }, pairedItem: { item: itemIndex } };
}

export const binaryPropertyOption = {
	displayName: 'Put Image in Field',
	name: 'binaryPropertyName',
	type: 'string' as const,
	default: 'data',
	description: 'Name of the binary field the image bytes go into',
};
