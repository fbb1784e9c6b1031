/**
 * `zkmips vkey <elf> [--profile default|onchain]`: prints the programVKey of a guest without running
 * it. The vkey depends on the proof profile (the preprocessed tables are committed at its blowup):
 * stdout gets the hex only, stderr says which profile it is for.
 */
import type { Command } from "commander";
import { vkeyOfElf } from "../../mips/air/pipeline.ts";
import { vkeyHex } from "../../mips/air/prove.ts";
import { closeHashPool } from "../../hash/sponge.ts";
import { profileByName } from "../../stark/options.ts";
import { PROFILE_HELP } from "../../wrap/profile.ts";
import { readFile } from "./prove.ts";

export function register(program: Command): void {
  program
    .command("vkey")
    .description(
      "print the program verifying key (commitment to the program ROM, initial image and byte table)",
    )
    .argument("<elf>", "guest ELF")
    .option("--profile <name>", `proof profile the vkey is for: ${PROFILE_HELP}`, "default")
    .option("--json", "print {profile, programVKey} on stdout")
    .action(async (elfPath: string, opts: { profile: string; json?: boolean }) => {
      const profile = profileByName(opts.profile);
      try {
        const hex = vkeyHex(await vkeyOfElf(readFile(elfPath, "ELF"), profile.options));
        if (opts.json)
          process.stdout.write(JSON.stringify({ profile: profile.name, programVKey: hex }) + "\n");
        else {
          process.stderr.write(
            `programVKey for the ${profile.name} proof profile (${profile.description})\n`,
          );
          process.stdout.write(hex + "\n");
        }
      } finally {
        await closeHashPool();
      }
    });
}
