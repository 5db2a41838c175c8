// Compiles the pack into dist/ and copies the icons and codex files next to the compiled nodes, and the workflow
// templates into dist/workflows-templates (the set-up command, dist/cli, imports them from there).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
const tsc = spawnSync(
	process.execPath,
	[path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
	{
		cwd: root,
		stdio: 'inherit',
	},
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

let copied = 0;
function copyStatic(dir) {
	for (const name of readdirSync(path.join(root, dir))) {
		const rel = path.join(dir, name);
		if (statSync(path.join(root, rel)).isDirectory()) copyStatic(rel);
		else if (/\.(svg|png|node\.json)$/.test(name)) {
			mkdirSync(path.join(root, 'dist', dir), { recursive: true });
			cpSync(path.join(root, rel), path.join(root, 'dist', rel));
			copied++;
		}
	}
}
copyStatic('nodes');
copyStatic('credentials');
// the set-up command (dist/cli) imports the templates from the package: ship them next to it
cpSync(path.join(root, 'workflows-templates'), path.join(root, 'dist', 'workflows-templates'), { recursive: true });
console.log(`build: compiled to dist/, ${copied} icon and codex files copied, workflows-templates/ copied`);
