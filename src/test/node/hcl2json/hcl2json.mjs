// Prints { "<path>": <parsed>, ... } for the .tf files given as arguments, parsed by HashiCorp's HCL parser
// (compiled to WebAssembly in @cdktf/hcl2json), so the Java checks read Terraform exactly as Terraform does.
// One process for many files: starting node and the WebAssembly module costs far more than parsing a file.
// A file that does not parse is reported on stderr as "<path>: <message>" and left out of the object; the
// exit status is then 1, so a caller that only looks at the status cannot mistake a partial result for a whole.
import { readFile } from "node:fs/promises";
import { parse } from "@cdktf/hcl2json";

const parsed = {};
let failed = false;
for (const file of process.argv.slice(2)) {
  try {
    parsed[file] = await parse(file, await readFile(file, "utf8"));
  } catch (error) {
    failed = true;
    const message = String(error && error.message ? error.message : error).replace(/\s*\n\s*/g, " ").trim();
    process.stderr.write(`${file}: ${message}\n`);
  }
}
process.stdout.write(JSON.stringify(parsed));
process.exitCode = failed ? 1 : 0;
