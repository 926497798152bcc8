# Serial tests: socat makes linked pseudo-terminal pairs (tests/AiFactory.Testing/SocatPtyPair.cs), one per test.
APT_PACKAGES+=(socat)
