/** `zkmips vkey <elf>`: prints the programVKey of a guest without running it. */
import type { Command } from "commander";
import { vkeyOfElf } from "../../mips/air/pipeline.ts";
import { vkeyHex } from "../../mips/air/prove.ts";
import { closeHashPool } from "../../hash/sponge.ts";
import { readFile } from "./prove.ts";

export function register(program: Command): void {
  program
    .command("vkey")
    .description(
      "print the program verifying key (commitment to the program ROM, initial image and byte table)",
    )
    .argument("<elf>", "guest ELF")
    .action(async (elfPath: string) => {
      try {
        process.stdout.write(vkeyHex(await vkeyOfElf(readFile(elfPath, "ELF"))) + "\n");
      } finally {
        await closeHashPool();
      }
    });
}
