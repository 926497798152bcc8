using AiFactory.Hub.Cluster;
using AiFactory.Testing;
using Microsoft.Extensions.Configuration;
using Orleans.Hosting.Kubernetes;
using YamlDotNet.RepresentationModel;

namespace AiFactory.Hub.Tests.Cluster;

/// <summary>
/// deploy/k8s/ cannot run here (no Kubernetes): these checks read the manifests as YAML and hold them to what the hub and
/// Microsoft.Orleans.Hosting.Kubernetes read at start, so a renamed setting or variable fails here, not in a cluster.
/// </summary>
[Trait("Category", "Unit")]
public sealed class KubernetesManifestTests
{
    private static readonly string Folder = Path.Combine(RepoPaths.Root, "deploy", "k8s");

    [Fact]
    public void EveryManifest_IsYamlWithKindAndName_AndListedInTheKustomization()
    {
        var files = Directory.GetFiles(Folder, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        var kustomization = Documents("kustomization.yaml").Single();
        var listed = ((YamlSequenceNode)kustomization["resources"]).Select(n => n.ToString()).Order(StringComparer.Ordinal);

        Assert.Equal(files.Where(f => f != "kustomization.yaml"), listed);
        Assert.All(files.Where(f => f != "kustomization.yaml").SelectMany(Documents), d =>
        {
            Assert.False(string.IsNullOrEmpty(d["apiVersion"].ToString()));
            Assert.False(string.IsNullOrEmpty(d["kind"].ToString()));
            Assert.False(string.IsNullOrEmpty(Map(d, "metadata")["name"].ToString()));
        });
    }

    [Fact]
    public void HubPods_CarryWhatOrleansKubernetesHostingReads()
    {
        var pod = Map(Map(Kind("Deployment"), "spec"), "template");
        var labels = Map(Map(pod, "metadata"), "labels");
        var env = Env(Container(pod));

        Assert.Equal("aifactory", labels[KubernetesHostingOptions.ServiceIdLabel].ToString());
        Assert.Equal("aifactory-hub", labels[KubernetesHostingOptions.ClusterIdLabel].ToString());
        Assert.Equal($"metadata.labels['{KubernetesHostingOptions.ServiceIdLabel}']", FieldRef(env[KubernetesHostingOptions.ServiceIdEnvironmentVariable]));
        Assert.Equal($"metadata.labels['{KubernetesHostingOptions.ClusterIdLabel}']", FieldRef(env[KubernetesHostingOptions.ClusterIdEnvironmentVariable]));
        Assert.Equal("metadata.name", FieldRef(env[KubernetesHostingOptions.PodNameEnvironmentVariable]));
        Assert.Equal("metadata.namespace", FieldRef(env[KubernetesHostingOptions.PodNamespaceEnvironmentVariable]));
        Assert.Equal("status.podIP", FieldRef(env[KubernetesHostingOptions.PodIPEnvironmentVariable]));
        Assert.Equal(Map(Kind("ServiceAccount"), "metadata")["name"].ToString(), Map(pod, "spec")["serviceAccountName"].ToString());
        var verbs = ((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)Kind("Role")["rules"])[0])["verbs"]).Select(v => v.ToString());
        Assert.Equal(["delete", "get", "list", "patch", "watch"], verbs.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ServiceAndProbes_PointAtPortsAndPathsTheHubServes()
    {
        var container = Container(Map(Map(Kind("Deployment"), "spec"), "template"));
        var ports = ((YamlSequenceNode)container["ports"]).Cast<YamlMappingNode>().ToDictionary(p => p["name"].ToString(), p => int.Parse(p["containerPort"].ToString(), System.Globalization.CultureInfo.InvariantCulture));
        var servicePort = (YamlMappingNode)((YamlSequenceNode)Map(Kind("Service"), "spec")["ports"])[0];

        Assert.Contains(servicePort["targetPort"].ToString(), ports.Keys);
        Assert.Equal("--urls=http://0.0.0.0:" + ports["http"], ((YamlSequenceNode)container["args"])[0].ToString());
        Assert.Equal("/health/ready", Map(container, "readinessProbe", "httpGet")["path"].ToString());
        Assert.Equal("/health/live", Map(container, "livenessProbe", "httpGet")["path"].ToString());
    }

    [Fact]
    public void HubSettingsInTheManifest_BindToValidAdoNetClusteringOnThePodsPorts()
    {
        var container = Container(Map(Map(Kind("Deployment"), "spec"), "template"));
        var ports = ((YamlSequenceNode)container["ports"]).Cast<YamlMappingNode>().ToDictionary(p => p["name"].ToString(), p => p["containerPort"].ToString());
        var settings = Env(container).Where(e => e.Key.StartsWith("Hub__", StringComparison.Ordinal)).ToDictionary(
            e => e.Key.Replace("__", ":", StringComparison.Ordinal),
            e => e.Value.Children.ContainsKey("value") ? e.Value["value"].ToString() : "Host=postgres;Database=hub (from the Secret)");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings!).Build();

        var hub = configuration.GetSection(HubOptions.Section).Get<HubOptions>()!;
        var silo = configuration.GetSection(SiloOptions.Section).Get<SiloOptions>()!;

        Assert.True(new HubOptionsValidator().Validate(null, hub).Succeeded);
        Assert.Empty(silo.Problems(hub.Database));
        Assert.Equal((ClusteringMode.AdoNet, true), (silo.Clustering, silo.Kubernetes));
        Assert.Equal(ports["silo"], silo.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ports["gateway"], silo.GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static List<YamlMappingNode> Documents(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Folder, file));
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static YamlMappingNode Kind(string kind) =>
        Directory.GetFiles(Folder, "*.yaml").SelectMany(f => Documents(Path.GetFileName(f))).Single(d => d.Children.ContainsKey("kind") && d["kind"].ToString() == kind);

    private static YamlMappingNode Map(YamlMappingNode node, params string[] path) =>
        path.Aggregate(node, (n, key) => (YamlMappingNode)n[key]);

    private static YamlMappingNode Container(YamlMappingNode podTemplate) => (YamlMappingNode)((YamlSequenceNode)Map(podTemplate, "spec")["containers"])[0];

    private static Dictionary<string, YamlMappingNode> Env(YamlMappingNode container) =>
        ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>().ToDictionary(e => e["name"].ToString());

    private static string FieldRef(YamlMappingNode variable) => Map(variable, "valueFrom", "fieldRef")["fieldPath"].ToString();
}
