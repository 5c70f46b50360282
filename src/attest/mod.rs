//! Keys, signed checkpoints, DSSE/in-toto attestations, bundles and verification.
