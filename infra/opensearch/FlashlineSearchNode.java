import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single-node OpenSearch for development and tests, started from its Maven jars: the node with the Netty HTTP
 * transport and the common analysis plugin loaded from the classpath (what the distribution's modules/ would hold).
 * Usage: java -cp 'classes:libs/*' FlashlineSearchNode HOME HTTP_PORT. Stops cleanly on SIGTERM.
 */
public final class FlashlineSearchNode extends Node {
  private FlashlineSearchNode(Settings settings, Path config) {
    super(
        InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), config, () -> "flashline-search"),
        List.of(Netty4Plugin.class, CommonAnalysisPlugin.class),
        true);
  }

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    Path config = Files.createDirectories(home.resolve("config"));
    Settings settings = Settings.builder()
        .put("path.home", home.toString())
        .put("path.data", home.resolve("data").toString())
        .put("path.logs", home.resolve("logs").toString())
        .put("cluster.name", "flashline-search")
        .put("node.name", "flashline-search")
        .put("discovery.type", "single-node")
        .put("network.host", "127.0.0.1")
        .put("http.port", port)
        .put("transport.port", port + 100)
        .put("cluster.routing.allocation.disk.threshold_enabled", false)
        .put("action.auto_create_index", false)
        .build();
    LogConfigurator.configureWithoutConfig(settings);
    Node node = new FlashlineSearchNode(settings, config);
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
      } catch (Exception e) {
        e.printStackTrace();
      }
      closed.countDown();
    }));
    node.start();
    closed.await();
  }
}
