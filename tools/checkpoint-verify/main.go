// checkpoint-verify: an independent check of Rightchain's std-suite checkpoints and inclusion
// proofs with Go's own implementations (golang.org/x/mod/sumdb/note and tlog), which share no
// code with Rightchain. Built offline from Debian's golang-go and golang-golang-x-mod-dev.
//
//	checkpoint-verify -note CHECKPOINT -origin CHAIN_ID -validator POWER,VERIFIER_KEY... [-leaf FILE -index I -proof FILE]
//
// It opens the signed note with the validators' verifier keys ("name+hex+base64"), requires the
// checkpoint's origin line to be the chain id, and requires the verified signatures to hold
// strictly more than 2/3 of the validators' total voting power (each key counted once, whatever
// the number of its signature lines: many keys of little power are not a quorum). It reads the
// log size and root from the checkpoint's first three lines and, with -leaf, checks that the
// leaf's data is entry I of that tree with the proof (one base64 hash per line). Exit 0 when
// every check passes, 1 otherwise (the reason on stderr).
package main

import (
	"encoding/base64"
	"flag"
	"fmt"
	"math/big"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type validatorList []string

func (v *validatorList) String() string     { return strings.Join(*v, " ") }
func (v *validatorList) Set(s string) error { *v = append(*v, s); return nil }

type keyID struct {
	name string
	hash uint32
}

func fail(format string, arguments ...interface{}) {
	fmt.Fprintf(os.Stderr, "checkpoint-verify: "+format+"\n", arguments...)
	os.Exit(1)
}

func parseHash(text string) tlog.Hash {
	bytes, err := base64.StdEncoding.DecodeString(text)
	if err != nil || len(bytes) != tlog.HashSize {
		fail("not a base64 hash: %q", text)
	}
	var hash tlog.Hash
	copy(hash[:], bytes)
	return hash
}

func main() {
	var validators validatorList
	notePath := flag.String("note", "", "the signed checkpoint")
	origin := flag.String("origin", "", "the chain id the checkpoint's first line must be")
	leafPath := flag.String("leaf", "", "a log leaf's data")
	index := flag.Int64("index", -1, "the leaf's index in the log")
	proofPath := flag.String("proof", "", "the inclusion proof, one base64 hash per line")
	flag.Var(&validators, "validator", "POWER,VERIFIER_KEY: a validator and its voting power (repeatable)")
	flag.Parse()
	if *origin == "" {
		fail("-origin is required")
	}
	if len(validators) == 0 {
		fail("at least one -validator is required")
	}

	message, err := os.ReadFile(*notePath)
	if err != nil {
		fail("%v", err)
	}
	var verifiers []note.Verifier
	power := make(map[keyID]*big.Int)
	total := new(big.Int)
	for _, validator := range validators {
		powerText, key, found := strings.Cut(validator, ",")
		if !found {
			fail("-validator %q is not POWER,VERIFIER_KEY", validator)
		}
		votes, err := strconv.ParseUint(powerText, 10, 64)
		if err != nil || votes == 0 {
			fail("-validator %q: the voting power must be a positive integer", validator)
		}
		verifier, err := note.NewVerifier(key)
		if err != nil {
			fail("verifier key %q: %v", key, err)
		}
		id := keyID{verifier.Name(), verifier.KeyHash()}
		if power[id] != nil {
			fail("validator %s is given twice", verifier.Name())
		}
		power[id] = new(big.Int).SetUint64(votes)
		total.Add(total, power[id])
		verifiers = append(verifiers, verifier)
	}
	opened, err := note.Open(message, note.VerifierList(verifiers...))
	if err != nil {
		fail("note.Open: %v", err)
	}
	// note.Open lists each verified key once.
	signed := new(big.Int)
	for _, signature := range opened.Sigs {
		signed.Add(signed, power[keyID{signature.Name, signature.Hash}])
	}
	// Strictly more than 2/3: 3 × signed > 2 × total.
	if new(big.Int).Mul(signed, big.NewInt(3)).Cmp(new(big.Int).Mul(total, big.NewInt(2))) <= 0 {
		fail("%d verified signatures hold %s of %s voting power, not more than 2/3", len(opened.Sigs), signed, total)
	}
	lines := strings.Split(opened.Text, "\n")
	if len(lines) < 4 {
		fail("the checkpoint has fewer than three lines")
	}
	if lines[0] != *origin {
		fail("the checkpoint's origin is %q, not %q", lines[0], *origin)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 {
		fail("bad tree size %q", lines[1])
	}
	root := parseHash(lines[2])
	fmt.Printf("checkpoint %s size %d: %d signatures verified, %s of %s voting power\n", lines[0], size,
		len(opened.Sigs), signed, total)

	if *leafPath == "" {
		return
	}
	leaf, err := os.ReadFile(*leafPath)
	if err != nil {
		fail("%v", err)
	}
	proofText, err := os.ReadFile(*proofPath)
	if err != nil {
		fail("%v", err)
	}
	var proof tlog.RecordProof
	for _, line := range strings.Split(strings.TrimSpace(string(proofText)), "\n") {
		if line != "" {
			proof = append(proof, parseHash(line))
		}
	}
	if err := tlog.CheckRecord(proof, size, root, *index, tlog.RecordHash(leaf)); err != nil {
		fail("tlog.CheckRecord: %v", err)
	}
	fmt.Printf("leaf %d is in the tree\n", *index)
}
