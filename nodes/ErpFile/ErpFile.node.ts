/**
 * ERP File: reads CSV, EDI++ (.epp), JSON, XML and Comarch ERP Optima XML files from ERPs into canonical records, and
 * writes canonical records (orders → EDI++ ZK, Optima document XML, CSV, JSON, XML) back into files. No credentials: files come from and go to other nodes
 * (Read/Write Files, FTP, email, HTTP Request).
 */
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import * as build from './build';
import * as parse from './parse';

const OPERATIONS: Record<
	string,
	(this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>
> = {
	parse: parse.execute,
	build: build.execute,
};

export class ErpFile implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ERP File',
		name: 'erpFile',
		icon: { light: 'file:erpFile.svg', dark: 'file:erpFile.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["operation"] === "parse" ? "Parse " + $parameter["format"] : "Build " + $parameter["outputFormat"] }}',
		description:
			'Read ERP files (CSV, EDI++, JSON, XML, Optima XML) into canonical records and write orders as EDI++ ZK, Optima XML, CSV, JSON or XML',
		defaults: { name: 'ERP File' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Build File',
						value: 'build',
						description: 'Write canonical records (orders for EDI++ ZK) into one file',
						action: 'Build a file',
					},
					{
						name: 'Parse File',
						value: 'parse',
						description: 'Read a file into canonical records: one item each, or batches of them',
						action: 'Parse a file',
					},
				],
				default: 'parse',
			},
			...parse.description,
			...build.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const run = OPERATIONS[operation];
		if (!run) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
		return [await run.call(this, this.getInputData())];
	}
}
