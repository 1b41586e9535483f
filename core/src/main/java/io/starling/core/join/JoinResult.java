package io.starling.core.join;

import io.starling.core.net.Contact;
import io.starling.core.security.PeerCredentials;
import java.util.List;

/** What a successful join yields: credentials to save in the data dir and contacts to start from. */
public record JoinResult(PeerCredentials credentials, List<Contact> contacts) {}
