package io.starling.gateway;

/** Starts a gateway on a fixed port for manual kubectl experiments (not a test). */
final class DevServer {
    public static void main(String[] args) throws Exception {
        GatewayFixture f = new GatewayFixture(0);
        f.start(GatewayConfig.plain("127.0.0.1", Integer.parseInt(args[0]), "site-a"));
        System.out.println("listening on " + f.url());
        Thread.currentThread().join();
    }
}
