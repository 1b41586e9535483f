package io.starling.runtime.containerd;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.starling.runtime.cri.v1.ContainerStatusRequest;
import io.starling.runtime.cri.v1.ContainerStatusResponse;
import io.starling.runtime.cri.v1.CreateContainerRequest;
import io.starling.runtime.cri.v1.CreateContainerResponse;
import io.starling.runtime.cri.v1.ExecSyncRequest;
import io.starling.runtime.cri.v1.ExecSyncResponse;
import io.starling.runtime.cri.v1.ImageStatusRequest;
import io.starling.runtime.cri.v1.ImageStatusResponse;
import io.starling.runtime.cri.v1.ListContainersRequest;
import io.starling.runtime.cri.v1.ListContainersResponse;
import io.starling.runtime.cri.v1.ListImagesRequest;
import io.starling.runtime.cri.v1.ListImagesResponse;
import io.starling.runtime.cri.v1.ListPodSandboxRequest;
import io.starling.runtime.cri.v1.ListPodSandboxResponse;
import io.starling.runtime.cri.v1.PodSandboxStatusRequest;
import io.starling.runtime.cri.v1.PodSandboxStatusResponse;
import io.starling.runtime.cri.v1.RemoveContainerRequest;
import io.starling.runtime.cri.v1.RemoveContainerResponse;
import io.starling.runtime.cri.v1.RemovePodSandboxRequest;
import io.starling.runtime.cri.v1.RemovePodSandboxResponse;
import io.starling.runtime.cri.v1.RunPodSandboxRequest;
import io.starling.runtime.cri.v1.RunPodSandboxResponse;
import io.starling.runtime.cri.v1.StartContainerRequest;
import io.starling.runtime.cri.v1.StartContainerResponse;
import io.starling.runtime.cri.v1.StopContainerRequest;
import io.starling.runtime.cri.v1.StopContainerResponse;
import io.starling.runtime.cri.v1.StopPodSandboxRequest;
import io.starling.runtime.cri.v1.StopPodSandboxResponse;
import io.starling.runtime.cri.v1.VersionRequest;
import io.starling.runtime.cri.v1.VersionResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Blocking CRI v1 client over containerd's unix socket. The request/response classes are generated
 * by protoc from our cri_api.proto; the gRPC method descriptors are spelled out here (full method
 * names {@code runtime.v1.RuntimeService/NAME}) because no protoc-gen-grpc-java binary is
 * available to the build. Every call carries a deadline; callers run it off the event loop.
 */
public final class CriClient implements AutoCloseable {
    private static final String RUNTIME = "runtime.v1.RuntimeService";
    private static final String IMAGES = "runtime.v1.ImageService";

    public static final MethodDescriptor<VersionRequest, VersionResponse> VERSION =
            unary(RUNTIME, "Version", VersionRequest.getDefaultInstance(), VersionResponse.getDefaultInstance());
    public static final MethodDescriptor<RunPodSandboxRequest, RunPodSandboxResponse> RUN_POD_SANDBOX =
            unary(RUNTIME, "RunPodSandbox", RunPodSandboxRequest.getDefaultInstance(), RunPodSandboxResponse.getDefaultInstance());
    public static final MethodDescriptor<StopPodSandboxRequest, StopPodSandboxResponse> STOP_POD_SANDBOX =
            unary(RUNTIME, "StopPodSandbox", StopPodSandboxRequest.getDefaultInstance(), StopPodSandboxResponse.getDefaultInstance());
    public static final MethodDescriptor<RemovePodSandboxRequest, RemovePodSandboxResponse> REMOVE_POD_SANDBOX =
            unary(RUNTIME, "RemovePodSandbox", RemovePodSandboxRequest.getDefaultInstance(), RemovePodSandboxResponse.getDefaultInstance());
    public static final MethodDescriptor<PodSandboxStatusRequest, PodSandboxStatusResponse> POD_SANDBOX_STATUS =
            unary(RUNTIME, "PodSandboxStatus", PodSandboxStatusRequest.getDefaultInstance(), PodSandboxStatusResponse.getDefaultInstance());
    public static final MethodDescriptor<ListPodSandboxRequest, ListPodSandboxResponse> LIST_POD_SANDBOX =
            unary(RUNTIME, "ListPodSandbox", ListPodSandboxRequest.getDefaultInstance(), ListPodSandboxResponse.getDefaultInstance());
    public static final MethodDescriptor<CreateContainerRequest, CreateContainerResponse> CREATE_CONTAINER =
            unary(RUNTIME, "CreateContainer", CreateContainerRequest.getDefaultInstance(), CreateContainerResponse.getDefaultInstance());
    public static final MethodDescriptor<StartContainerRequest, StartContainerResponse> START_CONTAINER =
            unary(RUNTIME, "StartContainer", StartContainerRequest.getDefaultInstance(), StartContainerResponse.getDefaultInstance());
    public static final MethodDescriptor<StopContainerRequest, StopContainerResponse> STOP_CONTAINER =
            unary(RUNTIME, "StopContainer", StopContainerRequest.getDefaultInstance(), StopContainerResponse.getDefaultInstance());
    public static final MethodDescriptor<RemoveContainerRequest, RemoveContainerResponse> REMOVE_CONTAINER =
            unary(RUNTIME, "RemoveContainer", RemoveContainerRequest.getDefaultInstance(), RemoveContainerResponse.getDefaultInstance());
    public static final MethodDescriptor<ListContainersRequest, ListContainersResponse> LIST_CONTAINERS =
            unary(RUNTIME, "ListContainers", ListContainersRequest.getDefaultInstance(), ListContainersResponse.getDefaultInstance());
    public static final MethodDescriptor<ContainerStatusRequest, ContainerStatusResponse> CONTAINER_STATUS =
            unary(RUNTIME, "ContainerStatus", ContainerStatusRequest.getDefaultInstance(), ContainerStatusResponse.getDefaultInstance());
    public static final MethodDescriptor<ExecSyncRequest, ExecSyncResponse> EXEC_SYNC =
            unary(RUNTIME, "ExecSync", ExecSyncRequest.getDefaultInstance(), ExecSyncResponse.getDefaultInstance());
    public static final MethodDescriptor<ListImagesRequest, ListImagesResponse> LIST_IMAGES =
            unary(IMAGES, "ListImages", ListImagesRequest.getDefaultInstance(), ListImagesResponse.getDefaultInstance());
    public static final MethodDescriptor<ImageStatusRequest, ImageStatusResponse> IMAGE_STATUS =
            unary(IMAGES, "ImageStatus", ImageStatusRequest.getDefaultInstance(), ImageStatusResponse.getDefaultInstance());

    private final EventLoopGroup group;
    private final ManagedChannel channel;
    private final long callTimeoutMillis;

    public CriClient(Path socket, long callTimeoutMillis) {
        this.callTimeoutMillis = callTimeoutMillis;
        this.group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .eventLoopGroup(group)
                .channelType(EpollDomainSocketChannel.class)
                // gRPC sets SO_KEEPALIVE, which unix sockets lack (netty warns per connect); null removes it.
                .withOption(io.netty.channel.ChannelOption.SO_KEEPALIVE, null)
                .overrideAuthority("localhost")
                .maxInboundMessageSize(16 * 1024 * 1024)
                .usePlaintext()
                .build();
    }

    private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> unary(String service, String method, Q req, R resp) {
        return MethodDescriptor.<Q, R>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
                .setRequestMarshaller(ProtoUtils.marshaller(req))
                .setResponseMarshaller(ProtoUtils.marshaller(resp))
                .build();
    }

    /** One blocking unary call with the default deadline. */
    public <Q, R> R call(MethodDescriptor<Q, R> method, Q request) {
        return call(method, request, callTimeoutMillis);
    }

    public <Q, R> R call(MethodDescriptor<Q, R> method, Q request, long timeoutMillis) {
        return ClientCalls.blockingUnaryCall(channel, method,
                CallOptions.DEFAULT.withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS), request);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
