package io.starling.gateway.secrets;

/** Sealed data could not be opened or sealed: wrong or missing key, tampered or moved ciphertext, bad format. */
public final class SealException extends RuntimeException {
    public SealException(String message) {
        super(message, null, false, false);
    }
}
