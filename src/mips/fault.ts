/** The error raised when the guest does something the machine does not define. */
import { ZkmipsError } from "../errors.ts";
import { hex } from "./layout.ts";

/**
 * A guest fault: unknown instruction or syscall, address fault, unaligned access, break, trap,
 * overflow, branch in a delay slot. The message names the PC and the instruction word in hex.
 */
export class MipsFault extends ZkmipsError {
  constructor(
    readonly reason: string,
    readonly pc: number,
    readonly word: number,
  ) {
    super(`guest fault at pc ${hex(pc)} (instruction ${hex(word)}): ${reason}`);
    this.name = "MipsFault";
  }
}
