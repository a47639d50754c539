/** Paths of the data this package ships: JSON Schemas and the bundled definitions packages. */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** Root folder of the definitions data package. */
export const definitionsRoot = dirname(fileURLToPath(import.meta.url));
/** Folder of the JSON Schemas, one per definitions file type. */
export const schemasDir = join(definitionsRoot, 'schemas');
/** Folder of the standard base package. */
export const standardPackageDir = join(definitionsRoot, 'standard');
/** Folder of the demo district package. */
export const demoDistrictPackageDir = join(definitionsRoot, 'demo-district');
