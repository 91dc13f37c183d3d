// checkpoint-verify: an independent check of Rightchain's std-suite checkpoints and inclusion
// proofs with Go's own implementations (golang.org/x/mod/sumdb/note and tlog), which share no
// code with Rightchain. Built offline from Debian's golang-go and golang-golang-x-mod-dev.
//
//	checkpoint-verify -note CHECKPOINT -key VERIFIER_KEY... -quorum N [-leaf FILE -index I -proof FILE]
//
// It opens the signed note with the given verifier keys ("name+hex+base64"), requires at least N
// verified signatures, reads the log size and root from the checkpoint's first three lines, and,
// with -leaf, checks that the leaf's data is entry I of that tree with the proof (one base64 hash
// per line). Exit 0 when every check passes, 1 otherwise (the reason on stderr).
package main

import (
	"encoding/base64"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type keyList []string

func (k *keyList) String() string     { return strings.Join(*k, ",") }
func (k *keyList) Set(v string) error { *k = append(*k, v); return nil }

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
	var keys keyList
	notePath := flag.String("note", "", "the signed checkpoint")
	quorum := flag.Int("quorum", 1, "signatures required")
	leafPath := flag.String("leaf", "", "a log leaf's data")
	index := flag.Int64("index", -1, "the leaf's index in the log")
	proofPath := flag.String("proof", "", "the inclusion proof, one base64 hash per line")
	flag.Var(&keys, "key", "a verifier key (repeatable)")
	flag.Parse()

	message, err := os.ReadFile(*notePath)
	if err != nil {
		fail("%v", err)
	}
	var verifiers []note.Verifier
	for _, key := range keys {
		verifier, err := note.NewVerifier(key)
		if err != nil {
			fail("verifier key %q: %v", key, err)
		}
		verifiers = append(verifiers, verifier)
	}
	opened, err := note.Open(message, note.VerifierList(verifiers...))
	if err != nil {
		fail("note.Open: %v", err)
	}
	if len(opened.Sigs) < *quorum {
		fail("%d verified signatures, %d required", len(opened.Sigs), *quorum)
	}
	lines := strings.Split(opened.Text, "\n")
	if len(lines) < 4 {
		fail("the checkpoint has fewer than three lines")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 {
		fail("bad tree size %q", lines[1])
	}
	root := parseHash(lines[2])
	fmt.Printf("checkpoint %s size %d: %d signatures verified\n", lines[0], size, len(opened.Sigs))

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
