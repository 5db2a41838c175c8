/**
 * The folder on disk behind a file server the tests run (the FTP simulator, test/simulators/ftp, and the real
 * sshd, test/simulators/sftp): a test puts an ERP export at a server path with the time the listing must show,
 * and reads back what the workflow left there. Server paths always start with '/' and never leave the root.
 * With `owner`, every folder and file the test creates belongs to that account (as if the ERP had uploaded it
 * as the server's user), so the workflow, logged in as that user, can move it like a customer's export.
 */
import { chownSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';

export interface FileServerEntry {
	/** path from the server root, always starting with '/' */
	path: string;
	size: number;
	mtime: Date;
}

export interface FileServerFolder {
	/** writes bytes at a server path (folders created); `mtime` sets the time a listing shows */
	put(serverPath: string, bytes: Buffer, opts?: { mtime?: Date }): void;
	mkdir(serverPath: string): void;
	/** the bytes at a server path, or undefined */
	read(serverPath: string): Buffer | undefined;
	/** files (not folders) directly in a server folder, sorted by name; [] when the folder does not exist */
	list(serverFolder: string): FileServerEntry[];
}

export function fileServerFolder(root: string, owner?: { uid: number; gid: number }): FileServerFolder {
	const local = (serverPath: string): string => {
		const rel = path.posix.normalize(`/${serverPath}`).replace(/^\/+/, '');
		const full = path.join(root, rel);
		if (full !== root && !full.startsWith(root + path.sep)) throw new Error(`outside the server root: ${serverPath}`);
		return full;
	};
	const mkdirs = (full: string) => {
		const first = mkdirSync(full, { recursive: true });
		if (!owner || first === undefined) return;
		// chown every folder mkdir created, from the first new one down
		for (let dir = full; dir.length >= first.length; dir = path.dirname(dir)) chownSync(dir, owner.uid, owner.gid);
	};
	return {
		put(serverPath, bytes, o = {}) {
			const full = local(serverPath);
			mkdirs(path.dirname(full));
			writeFileSync(full, bytes);
			if (owner) chownSync(full, owner.uid, owner.gid);
			if (o.mtime) utimesSync(full, o.mtime, o.mtime);
		},
		mkdir(serverPath) {
			mkdirs(local(serverPath));
		},
		read(serverPath) {
			try {
				return readFileSync(local(serverPath));
			} catch {
				return undefined;
			}
		},
		list(serverFolder) {
			const dir = local(serverFolder);
			let names: string[];
			try {
				names = readdirSync(dir);
			} catch {
				return [];
			}
			const base = path.posix.normalize(`/${serverFolder}`).replace(/\/+$/, '');
			return names
				.sort()
				.map((name) => ({ name, st: statSync(path.join(dir, name)) }))
				.filter(({ st }) => st.isFile())
				.map(({ name, st }) => ({ path: `${base}/${name}`, size: st.size, mtime: st.mtime }));
		},
	};
}

/** a free loopback port, to be used at once */
export function freeLoopbackPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address() as AddressInfo;
			s.close(() => resolve(port));
		});
	});
}
