import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	product: 'upsert';
	productImage: 'upsert';
	price: 'upsert';
	stock: 'upsert';
	client: 'upsert';
	order: 'getNew' | 'get' | 'acknowledge' | 'updateStatus';
	invoice: 'upload';
	syncStatus: 'record' | 'getAll' | 'findOverdue';
};

export type B2bPortalType = AllEntities<NodeMap>;
