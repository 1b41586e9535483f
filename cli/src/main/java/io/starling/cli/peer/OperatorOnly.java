package io.starling.cli.peer;

import io.starling.cli.peer.AdminMessages.AdminError;
import io.starling.core.net.InboundHandler;
import io.starling.core.security.PeerRole;
import io.starling.core.security.PeerRoles;
import java.util.concurrent.CompletableFuture;

/**
 * Lets only operators through to an operator request handler: peers hold certificates of the same
 * CA, and an edge device in the field must not be able to write operator records or push images
 * into another node's runtime. The role comes from the sender's certificate ({@link PeerRoles}).
 */
final class OperatorOnly {
    static final String REFUSAL = "operator credentials required: this certificate's role is %s "
            + "(use the admin/ folder that 'starling init' or 'starling up' writes)";

    private OperatorOnly() {}

    static InboundHandler guard(PeerRoles roles, InboundHandler handler) {
        return (sender, from, m) -> {
            if (!roles.has(sender, PeerRole.OPERATOR)) {
                String role = roles.roleOf(sender).map(PeerRole::wireName).orElse("unknown");
                return CompletableFuture.completedFuture(new AdminError(String.format(REFUSAL, role)));
            }
            return handler.handle(sender, from, m);
        };
    }
}
