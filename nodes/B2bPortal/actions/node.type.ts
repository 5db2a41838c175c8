import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	product: 'upsert' | 'update';
	productImage: 'upsert' | 'fromBinary';
	price: 'upsert' | 'delete';
	stock: 'upsert' | 'reserve' | 'release';
	client: 'upsert' | 'update';
	connection: 'check';
	order: 'getNew' | 'get' | 'acknowledge' | 'updateStatus' | 'claim' | 'releaseClaim';
	invoice: 'upload';
	syncStatus: 'record' | 'getAll' | 'findOverdue' | 'loadState';
};

export type B2bPortalType = AllEntities<NodeMap>;
