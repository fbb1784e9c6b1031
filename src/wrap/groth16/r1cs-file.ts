/**
 * Reader for standard snarkjs/circom `.r1cs` files (binfile "r1cs" v1): header section 1
 * (field size, prime, wire and signal counts, constraint count) and constraint section 2
 * (per constraint, the sparse rows A, B, C as (wire, little-endian coefficient) terms).
 * Circuits with PLONK custom gates (sections 4/5) are rejected: Groth16 cannot use them.
 */
import { ZkmipsError } from "../../errors.ts";
import { parseBinFile, readWholeFile, section, type BinFile } from "./binfile.ts";
import { R, readLE } from "./fr.ts";

export interface R1csHeader {
  nWires: number;
  nPubOut: number;
  nPubIn: number;
  nPrvIn: number;
  nConstraints: number;
  /** Public signals (outputs + public inputs), not counting the constant wire 0. */
  nPublic: number;
}

/** One term visitor call: matrix 0 = A, 1 = B, 2 = C; `coefOffset` points at 32 LE bytes. */
export type TermVisitor = (matrix: 0 | 1 | 2, constraint: number, wire: number, coefOffset: number) => void;

export class R1csFile {
  private constructor(
    readonly path: string,
    readonly header: R1csHeader,
    private readonly file: BinFile,
    private readonly constraints: { offset: number; size: number },
  ) {}

  static read(path: string): R1csFile {
    let bytes: Uint8Array;
    try {
      bytes = readWholeFile(path);
    } catch (e) {
      throw new ZkmipsError(`cannot read R1CS file ${path}: ${(e as Error).message}`);
    }
    return R1csFile.parse(bytes, path);
  }

  static parse(bytes: Uint8Array, where: string): R1csFile {
    const file = parseBinFile(bytes, "r1cs", where);
    if (file.version !== 1) throw new ZkmipsError(`${where}: unsupported r1cs version ${file.version}`);
    if (file.sections.some((s) => s.id === 4 || s.id === 5)) {
      throw new ZkmipsError(`${where}: circuit uses PLONK custom gates, which Groth16 cannot prove`);
    }
    const h = section(file, 1, where);
    const v = file.view;
    const n8 = v.getUint32(h.offset, true);
    if (n8 !== 32 || h.size < 4 + 32 + 28)
      throw new ZkmipsError(`${where}: field size ${n8} is not BN254's 32 bytes`);
    if (readLE(bytes, h.offset + 4) !== R) {
      throw new ZkmipsError(
        `${where}: circuit is not over the BN254 scalar field`,
        "compile it with --prime bn128",
      );
    }
    let p = h.offset + 36;
    const u32 = (): number => {
      const x = v.getUint32(p, true);
      p += 4;
      return x;
    };
    const nWires = u32();
    const nPubOut = u32();
    const nPubIn = u32();
    const nPrvIn = u32();
    p += 8; // nLabels
    const nConstraints = u32();
    const header = { nWires, nPubOut, nPubIn, nPrvIn, nConstraints, nPublic: nPubOut + nPubIn };
    const c = section(file, 2, where);
    return new R1csFile(where, header, file, c);
  }

  get bytes(): Uint8Array {
    return this.file.bytes;
  }

  /** Visits every term of every constraint in file order, validating bounds as it goes. */
  forEachTerm(visit: TermVisitor): void {
    const v = this.file.view;
    const end = this.constraints.offset + this.constraints.size;
    const { nWires, nConstraints } = this.header;
    let p = this.constraints.offset;
    const bad = (what: string): never => {
      throw new ZkmipsError(`${this.path}: malformed constraint section (${what})`);
    };
    for (let c = 0; c < nConstraints; c++) {
      for (let m = 0 as 0 | 1 | 2; m < 3; m = (m + 1) as 0 | 1 | 2) {
        if (p + 4 > end) bad(`constraint ${c} truncated`);
        const nTerms = v.getUint32(p, true);
        p += 4;
        if (p + nTerms * 36 > end) bad(`constraint ${c} truncated`);
        for (let t = 0; t < nTerms; t++) {
          const wire = v.getUint32(p, true);
          if (wire >= nWires) bad(`constraint ${c} uses wire ${wire} >= ${nWires}`);
          visit(m, c, wire, p + 4);
          p += 36;
        }
      }
    }
    if (p !== end) bad(`${end - p} trailing bytes`);
  }
}
