/**
 * `zkmips verify proof.bin (--vkey HEX | --elf FILE) [--profile auto|default|onchain]`: exits 0 only
 * when the proof is valid for that program at an allow-listed proof profile (the named one, or with
 * "auto" the profile the proof's options match; any other options fail check `options`); prints the
 * profile, the public values (hex) and the exit code.
 */
import type { Command } from "commander";
import { ZkmipsError } from "../../errors.ts";
import { loadElf } from "../../mips/elf.ts";
import { programImage } from "../../mips/air/program.ts";
import { mipsSetup, parseVkeyHex, verifyMips, vkeyHex } from "../../mips/air/prove.ts";
import { closeHashPool } from "../../hash/sponge.ts";
import { readFile } from "./prove.ts";
import { isGroth16ProofFile, verifyWrappedFile } from "../../wrap/verify-wrapped.ts";
import { releaseSnarkjsCurves } from "../../wrap/groth16/snarkjs.ts";
import { PROFILE_HELP, mipsProofProfile, profileOfShapeId } from "../../wrap/profile.ts";
import { profileByName } from "../../stark/options.ts";
import { readGroth16ProofFile } from "../../wrap/groth16/proof-file.ts";

export function register(program: Command): void {
  program
    .command("verify")
    .description("verify a proof written by `zkmips prove` against a program (vkey or ELF)")
    .argument("<proof>", "proof file")
    .option("--vkey <hex>", "programVKey (0x + 64 hex digits, from `zkmips vkey`)")
    .option("--elf <file>", "guest ELF (its vkey is computed)")
    .option(
      "--profile <name>",
      `STARK proof profile to accept: auto (the allow-listed profile the proof's options match) or ${PROFILE_HELP}`,
      "auto",
    )
    .option("--json", "print a JSON result on stdout")
    .option(
      "--groth16-vkey <file>",
      "proof.groth16.json only: snarkjs vkey.json (default: found by selector in .zkmips)",
    )
    .action(
      async (
        proofPath: string,
        opts: { vkey?: string; elf?: string; json?: boolean; groth16Vkey?: string; profile: string },
      ) => {
        const file = readFile(proofPath, "proof");
        if (isGroth16ProofFile(file)) {
          // proof.groth16.json (zkmips wrap): off-chain Groth16 check; --vkey/--elf optional.
          if (opts.vkey && opts.elf) throw new ZkmipsError("give at most one of --vkey and --elf");
          try {
            const vkey = opts.vkey
              ? parseVkeyHex(opts.vkey)
              : opts.elf
                ? (
                    await mipsSetup(
                      programImage(loadElf(readFile(opts.elf, "ELF"))),
                      (opts.profile === "auto"
                        ? profileOfShapeId(readGroth16ProofFile(proofPath).shapeId)
                        : profileByName(opts.profile)
                      ).options,
                    )
                  ).pk.vkey
                : undefined;
            const f = await verifyWrappedFile(proofPath, { vkey, groth16Vkey: opts.groth16Vkey });
            const out = {
              valid: true,
              groth16: true,
              shapeId: f.shapeId,
              selector: f.selector,
              programVKey: f.programVKey,
              publicValues: f.publicValues.slice(2),
            };
            process.stdout.write(
              opts.json
                ? JSON.stringify(out) + "\n"
                : `valid Groth16 proof (shape ${f.shapeId}, selector ${f.selector})\nprogramVKey  ${f.programVKey}\npublic values ${out.publicValues || "(none)"}\n`,
            );
          } finally {
            await closeHashPool();
            await releaseSnarkjsCurves();
          }
          return;
        }
        if (!opts.vkey === !opts.elf) throw new ZkmipsError("give exactly one of --vkey and --elf");
        const profile = mipsProofProfile(file, opts.profile);
        try {
          const against = opts.vkey
            ? { vkey: parseVkeyHex(opts.vkey) }
            : { program: programImage(loadElf(readFile(opts.elf!, "ELF"))) };
          const r = await verifyMips(file, against, profile.options);
          const pv = Buffer.from(r.publicValues).toString("hex");
          if (opts.json)
            process.stdout.write(
              JSON.stringify({
                valid: true,
                profile: profile.name,
                programVKey: vkeyHex(r.vkey),
                exitCode: r.exitCode,
                publicValues: pv,
              }) + "\n",
            );
          else
            process.stdout.write(
              `valid proof (profile ${profile.name})\nprogramVKey  ${vkeyHex(r.vkey)}\nexit code    ${r.exitCode}\npublic values ${pv || "(none)"}\n`,
            );
        } finally {
          await closeHashPool();
        }
      },
    );
}
