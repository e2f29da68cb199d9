"""OAuth2 sign-in for native apps: PKCE, a loopback redirect, tokens kept in the keyring."""
