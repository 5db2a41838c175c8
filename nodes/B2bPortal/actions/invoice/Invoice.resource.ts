import type { INodeProperties } from 'n8n-workflow';
import { operationSelector } from '../common';
import * as upload from './upload.operation';

export { upload };

export const description: INodeProperties[] = [
	operationSelector(
		'invoice',
		[
			{
				name: 'Upload',
				value: 'upload',
				description: 'Send an invoice and its PDF to the portal',
				action: 'Upload an invoice',
			},
		],
		'upload',
	),
	...upload.description,
];
