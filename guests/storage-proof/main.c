/*
 * storage-proof: proves a MessageOutbox state on a source chain and the messages that led to it,
 * and commits the 384-byte public values StateInbox.submit expects (docs/contracts.md, version 1).
 *
 * Input (fd 0), produced by src/bridge/guest-input.ts; "word" = 32 bytes big-endian,
 * "u32" = little-endian, "bytes" = u32 length || that many bytes:
 *   "ZKSP" u32 version (= 1)
 *   word sourceChainId, word destChainId, 20-byte outbox address,
 *   word prevBlockNumber, word prevAccumulator, word prevCount, word blockHash,
 *   bytes headerRlp,
 *   u32 n, bytes[n] accountProof          (eth_getProof accountProof, root first)
 *   u32 n, bytes[n] slot0Proof            (storage proof of slot 0: the accumulator)
 *   u32 n, bytes[n] slot1Proof            (storage proof of slot 1: the message count)
 *   u32 k, k x { word destChainId, 20-byte sender, 20-byte target, bytes payload }
 * and nothing after. Message i has nonce prevCount + i and the update's sourceChainId.
 *
 * Checks: keccak256(headerRlp) == blockHash; header.number and header.stateRoot; the account
 * proof of keccak256(outbox) -> account RLP -> storageRoot; the storage proofs of
 * keccak256(slot) -> values (absent = 0); the accumulator chained from prevAccumulator over the
 * k messages equals slot 0 and prevCount + k equals slot 1. Then it commits version,
 * sourceChainId, destChainId, outbox, prevBlockNumber, prevAccumulator, prevCount, blockNumber,
 * blockHash, newAccumulator, newCount, messagesRoot (twelve words). Any failed check: a message
 * on stderr, exit status 1, nothing on fd 3. Malformed input: exit status 2.
 */
#include "../sdk/zkmips.h"

#define MAX_PAYLOAD 4096u
#define MAX_NODES 64u
#define MAX_MESSAGES 1024u

static const uint8_t *in_p;
static const uint8_t *in_end;

__attribute__((noreturn)) static void fail(int code, const char *what) {
  zk_eprint("storage-proof: ");
  zk_eprint(what);
  zk_eprint("\n");
  zk_exit(code);
}

static const uint8_t *take(size_t n) {
  if ((size_t)(in_end - in_p) < n) fail(2, "input ends early");
  const uint8_t *p = in_p;
  in_p += n;
  return p;
}

static uint32_t take_u32(void) { return zk_le32(take(4)); }

typedef struct {
  const uint8_t *p;
  uint32_t len;
} span;

static span take_bytes(uint32_t max) {
  span s;
  s.len = take_u32();
  if (s.len > max) fail(2, "input item too long");
  s.p = take(s.len);
  return s;
}

typedef struct {
  uint32_t n;
  span node[MAX_NODES];
} proof;

static void take_proof(proof *pr) {
  pr->n = take_u32();
  if (pr->n > MAX_NODES) fail(2, "too many proof nodes");
  for (uint32_t i = 0; i < pr->n; i++) pr->node[i] = take_bytes(1u << 16);
}

/* ---- RLP ---- */

/* One RLP item at p (at most avail bytes): its payload and whether it is a list. Returns the
 * item's total length; fails on anything malformed or non-canonical in length. */
static uint32_t rlp_item(const uint8_t *p, uint32_t avail, span *payload, int *is_list) {
  if (avail == 0) fail(1, "RLP: empty item");
  uint8_t b = p[0];
  uint32_t hdr, len;
  if (b < 0x80) {
    hdr = 0;
    len = 1;
    *is_list = 0;
  } else if (b < 0xb8 || (b >= 0xc0 && b < 0xf8)) {
    hdr = 1;
    len = b - (b < 0xc0 ? 0x80 : 0xc0);
    *is_list = b >= 0xc0;
  } else {
    uint32_t ll = b - (b < 0xc0 ? 0xb7 : 0xf7);
    if (ll > 3 || avail < 1 + ll) fail(1, "RLP: bad length of length");
    len = 0;
    for (uint32_t i = 0; i < ll; i++) len = (len << 8) | p[1 + i];
    if (len < 56 || p[1] == 0) fail(1, "RLP: non-canonical length");
    hdr = 1 + ll;
    *is_list = b >= 0xc0;
  }
  if (len > avail - hdr) fail(1, "RLP: item overruns its container");
  payload->p = p + hdr;
  payload->len = len;
  if (b < 0x80) payload->p = p;
  return hdr + len;
}

/* Splits a list payload into at most max items; returns the count. */
static uint32_t rlp_list(span list, span *items, int *lists, uint32_t max) {
  uint32_t n = 0, off = 0;
  while (off < list.len) {
    if (n == max) fail(1, "RLP: list too long");
    int is_list;
    off += rlp_item(list.p + off, list.len - off, &items[n], &is_list);
    if (lists) lists[n] = is_list;
    n++;
  }
  return n;
}

/* The top-level item of a buffer, which must be a list spanning the whole buffer. */
static span rlp_whole_list(span buf) {
  span pl;
  int is_list;
  if (rlp_item(buf.p, buf.len, &pl, &is_list) != buf.len || !is_list) fail(1, "RLP: not one list");
  return pl;
}

/* A big-endian integer of at most 32 bytes into a 32-byte word. */
static void to_word(span s, uint8_t out[32], const char *what) {
  if (s.len > 32) fail(1, what);
  memset(out, 0, 32);
  memcpy(out + 32 - s.len, s.p, s.len);
}

/* ---- Merkle-Patricia trie ---- */

static const uint8_t EMPTY_TRIE_ROOT[32] = {0x56, 0xe8, 0x1f, 0x17, 0x1b, 0xcc, 0x55, 0xa6, 0xff, 0x83, 0x45,
                                            0xe6, 0x92, 0xc0, 0xf8, 0x6e, 0x5b, 0x48, 0xe0, 0x1b, 0x99, 0x6c,
                                            0xad, 0xc0, 0x01, 0x62, 0x2f, 0xb5, 0xe3, 0x63, 0xb4, 0x21};

static void nibbles_of(const uint8_t key[32], uint8_t out[64]) {
  for (int i = 0; i < 32; i++) {
    out[2 * i] = key[i] >> 4;
    out[2 * i + 1] = key[i] & 15;
  }
}

/* Walks the proof from root along keccak256(key); returns 1 with the leaf value's payload, or 0
 * when the proof shows the key is absent. Every node must hash to its parent's reference
 * (nodes shorter than 32 bytes are embedded in their parent). Fails on an inconsistent proof. */
static int mpt_get(const uint8_t root[32], const uint8_t *key, uint32_t key_len, const proof *pr,
                   span *value) {
  uint8_t hkey[32], path[64], h[32];
  keccak256(key, key_len, hkey);
  nibbles_of(hkey, path);
  uint32_t pos = 0, next = 0;
  uint8_t expect[32];
  memcpy(expect, root, 32);
  span node;
  int embedded = 0;
  for (;;) {
    if (!embedded) {
      if (next >= pr->n) {
        /* An empty trie has no nodes: its root is keccak256(0x80). */
        if (next == 0 && memcmp(expect, EMPTY_TRIE_ROOT, 32) == 0) return 0;
        fail(1, "MPT: proof ends before the key's leaf");
      }
      span raw = pr->node[next++];
      keccak256(raw.p, raw.len, h);
      if (memcmp(h, expect, 32) != 0) fail(1, "MPT: a proof node does not hash to its reference");
      /* The empty trie's root node is the empty string (some nodes return it as the proof). */
      if (next == 1 && raw.len == 1 && raw.p[0] == 0x80) return 0;
      node = rlp_whole_list(raw);
    }
    span items[17];
    int lists[17];
    uint32_t n = rlp_list(node, items, lists, 17);
    span child;
    int child_list;
    if (n == 17) {
      if (pos == 64) fail(1, "MPT: branch value at a full-length key");
      child = items[path[pos]];
      child_list = lists[path[pos]];
      pos++;
      if (child.len == 0 && !child_list) return 0;
    } else if (n == 2) {
      span hp = items[0];
      if (lists[0] || hp.len == 0) fail(1, "MPT: bad leaf/extension path");
      uint8_t flag = hp.p[0] >> 4;
      if (flag > 3) fail(1, "MPT: bad hex-prefix flag");
      uint32_t plen = 2 * hp.len - ((flag & 1) ? 1 : 2);
      if (pos + plen > 64) return 0;
      for (uint32_t i = 0; i < plen; i++) {
        uint32_t j = i + ((flag & 1) ? 1 : 2);
        uint8_t nib = (j & 1) ? (hp.p[j / 2] & 15) : (hp.p[j / 2] >> 4);
        if (nib != path[pos + i]) return 0; /* diverges: the key is absent */
      }
      pos += plen;
      if (flag & 2) {
        if (pos != 64) fail(1, "MPT: leaf ends before the key");
        if (lists[1]) fail(1, "MPT: leaf value is a list");
        *value = items[1];
        return 1;
      }
      child = items[1];
      child_list = lists[1];
    } else {
      fail(1, "MPT: node is neither a branch nor a leaf/extension");
    }
    if (child_list) {
      node = child;
      embedded = 1;
    } else {
      if (child.len != 32) fail(1, "MPT: bad child reference");
      memcpy(expect, child.p, 32);
      embedded = 0;
    }
  }
}

/* ---- main ---- */

static uint8_t pv[384];

static void put_word(int i, const uint8_t w[32]) { memcpy(pv + 32 * i, w, 32); }

static void u64_word(uint64_t v, uint8_t out[32]) {
  memset(out, 0, 32);
  for (int i = 0; i < 8; i++) out[31 - i] = (uint8_t)(v >> (8 * i));
}

static uint64_t word_u64(const uint8_t w[32], const char *what) {
  for (int i = 0; i < 24; i++)
    if (w[i]) fail(2, what);
  uint64_t v = 0;
  for (int i = 24; i < 32; i++) v = (v << 8) | w[i];
  return v;
}

static proof account_proof, slot_proof[2];

int main(void) {
  size_t total;
  in_p = zk_read_all_input(&total);
  in_end = in_p + total;
  if (memcmp(take(4), "ZKSP", 4) != 0 || take_u32() != 1) fail(2, "input is not a version-1 ZKSP input");

  const uint8_t *src_chain = take(32), *dst_chain = take(32), *outbox = take(20);
  const uint8_t *prev_block = take(32), *prev_acc = take(32), *prev_count_w = take(32);
  const uint8_t *block_hash = take(32);
  uint64_t prev_count = word_u64(prev_count_w, "prevCount >= 2^64");
  span header = take_bytes(1u << 16);
  take_proof(&account_proof);
  take_proof(&slot_proof[0]);
  take_proof(&slot_proof[1]);

  /* Header: hash, number, stateRoot. */
  uint8_t h[32], block_number[32], state_root[32];
  keccak256(header.p, header.len, h);
  if (memcmp(h, block_hash, 32) != 0) fail(1, "keccak256(header) != blockHash");
  span hf[32];
  uint32_t nf = rlp_list(rlp_whole_list(header), hf, NULL, 32);
  if (nf < 15) fail(1, "header has fewer than 15 fields");
  if (hf[3].len != 32) fail(1, "header stateRoot is not 32 bytes");
  memcpy(state_root, hf[3].p, 32);
  to_word(hf[8], block_number, "header number longer than 32 bytes");

  /* Account -> storageRoot. */
  span acct;
  if (!mpt_get(state_root, outbox, 20, &account_proof, &acct)) fail(1, "outbox account is absent from the state");
  span af[4];
  if (rlp_list(rlp_whole_list(acct), af, NULL, 4) != 4 || af[2].len != 32) fail(1, "account RLP is malformed");
  const uint8_t *storage_root = af[2].p;

  /* Slots 0 and 1. */
  uint8_t slot_val[2][32];
  for (int s = 0; s < 2; s++) {
    uint8_t key[32];
    memset(key, 0, 32);
    key[31] = (uint8_t)s;
    span v;
    memset(slot_val[s], 0, 32);
    if (mpt_get(storage_root, key, 32, &slot_proof[s], &v)) {
      span inner;
      int is_list;
      if (rlp_item(v.p, v.len, &inner, &is_list) != v.len || is_list) fail(1, "storage value RLP is malformed");
      to_word(inner, slot_val[s], "storage value longer than 32 bytes");
    }
  }
  uint64_t new_count = word_u64(slot_val[1], "outbox count >= 2^64");

  /* Messages: chain the accumulator, collect leaf hashes. */
  uint32_t k = take_u32();
  if (k > MAX_MESSAGES) fail(2, "too many messages");
  if (prev_count + k != new_count) fail(1, "prevCount + messages != outbox count (slot 1)");
  uint32_t width = 1;
  while (width < k) width <<= 1;
  uint8_t(*leaves)[32] = calloc(width ? width : 1, 32);
  uint8_t acc[64];
  memcpy(acc, prev_acc, 32);
  uint8_t *enc = malloc(7 * 32 + MAX_PAYLOAD + 32);
  for (uint32_t i = 0; i < k; i++) {
    const uint8_t *mdst = take(32), *sender = take(20), *target = take(20);
    span payload = take_bytes(MAX_PAYLOAD);
    /* abi.encode(nonce, sourceChainId, destChainId, sender, target, payload) */
    u64_word(prev_count + i, enc);
    memcpy(enc + 32, src_chain, 32);
    memcpy(enc + 64, mdst, 32);
    memset(enc + 96, 0, 12);
    memcpy(enc + 108, sender, 20);
    memset(enc + 128, 0, 12);
    memcpy(enc + 140, target, 20);
    u64_word(6 * 32, enc + 160);
    u64_word(payload.len, enc + 192);
    uint32_t padded = (payload.len + 31) & ~31u;
    memset(enc + 224, 0, padded);
    memcpy(enc + 224, payload.p, payload.len);
    keccak256(enc, 224 + padded, leaves[i]);
    memcpy(acc + 32, leaves[i], 32);
    keccak256(acc, 64, acc);
  }
  if (in_p != in_end) fail(2, "trailing bytes after the messages");
  if (memcmp(acc, slot_val[0], 32) != 0) fail(1, "chained accumulator != outbox accumulator (slot 0)");

  /* Messages root: zero when empty, the leaf itself for one message. */
  uint8_t root[32];
  memset(root, 0, 32);
  if (k > 0) {
    for (uint32_t w = width; w > 1; w >>= 1)
      for (uint32_t i = 0; i < w / 2; i++) keccak256(leaves[2 * i], 64, leaves[i]);
    memcpy(root, leaves[0], 32);
  }

  uint8_t w[32];
  u64_word(1, w);
  put_word(0, w);
  put_word(1, src_chain);
  put_word(2, dst_chain);
  memset(w, 0, 12);
  memcpy(w + 12, outbox, 20);
  put_word(3, w);
  put_word(4, prev_block);
  put_word(5, prev_acc);
  u64_word(prev_count, w);
  put_word(6, w);
  put_word(7, block_number);
  put_word(8, block_hash);
  put_word(9, slot_val[0]);
  u64_word(new_count, w);
  put_word(10, w);
  put_word(11, root);
  zk_commit(pv, sizeof pv);
  return 0;
}
