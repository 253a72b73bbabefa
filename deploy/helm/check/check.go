package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"github.com/acme/orders/internal/platform/config"
)

// Options say what a rendering must contain.
type Options struct {
	// ConfigVars are the environment variables the binaries read; the API, the worker and the
	// migration Job must each set every one.
	ConfigVars []string
	// ExpectKinds must each appear at least once (e.g. ScaledObject with KEDA turned on).
	ExpectKinds []string
}

// ScaledObject is the part of KEDA's keda.sh/v1alpha1 ScaledObject the chart uses; decoding
// into it strictly rejects any other field, so a new field must be added here on purpose.
type ScaledObject struct {
	metav1.TypeMeta `json:",inline"`
	Metadata        metav1.ObjectMeta `json:"metadata"`
	Spec            struct {
		ScaleTargetRef struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Name       string `json:"name"`
		} `json:"scaleTargetRef"`
		MinReplicaCount *int32 `json:"minReplicaCount"`
		MaxReplicaCount *int32 `json:"maxReplicaCount"`
		PollingInterval *int32 `json:"pollingInterval"`
		CooldownPeriod  *int32 `json:"cooldownPeriod"`
		Triggers        []struct {
			Type     string            `json:"type"`
			Name     string            `json:"name,omitempty"`
			Metadata map[string]string `json:"metadata"`
		} `json:"triggers"`
	} `json:"spec"`
}

// ServiceMonitor is the part of the Prometheus Operator's monitoring.coreos.com/v1
// ServiceMonitor the chart uses.
type ServiceMonitor struct {
	metav1.TypeMeta `json:",inline"`
	Metadata        metav1.ObjectMeta `json:"metadata"`
	Spec            struct {
		Selector  metav1.LabelSelector `json:"selector"`
		Endpoints []struct {
			Port     string `json:"port"`
			Path     string `json:"path,omitempty"`
			Interval string `json:"interval,omitempty"`
		} `json:"endpoints"`
	} `json:"spec"`
}

// newObject returns the type a document of this apiVersion and kind decodes into.
func newObject(apiVersion, kind string) (any, bool) {
	switch apiVersion + " " + kind {
	case "apps/v1 Deployment":
		return &appsv1.Deployment{}, true
	case "v1 Service":
		return &corev1.Service{}, true
	case "v1 ServiceAccount":
		return &corev1.ServiceAccount{}, true
	case "v1 ConfigMap":
		return &corev1.ConfigMap{}, true
	case "batch/v1 Job":
		return &batchv1.Job{}, true
	case "policy/v1 PodDisruptionBudget":
		return &policyv1.PodDisruptionBudget{}, true
	case "autoscaling/v2 HorizontalPodAutoscaler":
		return &autoscalingv2.HorizontalPodAutoscaler{}, true
	case "networking.k8s.io/v1 Ingress":
		return &networkingv1.Ingress{}, true
	case "keda.sh/v1alpha1 ScaledObject":
		return &ScaledObject{}, true
	case "monitoring.coreos.com/v1 ServiceMonitor":
		return &ServiceMonitor{}, true
	}
	return nil, false
}

// rendered is one stream of documents, decoded.
type rendered struct {
	deployments     []*appsv1.Deployment
	services        []*corev1.Service
	serviceAccounts []*corev1.ServiceAccount
	jobs            []*batchv1.Job
	pdbs            []*policyv1.PodDisruptionBudget
	hpas            []*autoscalingv2.HorizontalPodAutoscaler
	ingresses       []*networkingv1.Ingress
	scaledObjects   []*ScaledObject
	serviceMonitors []*ServiceMonitor
	kinds           map[string]int
}

// Check decodes every document of stream strictly and checks the chart's invariants. It
// returns the number of documents and every problem found.
func Check(stream []byte, o Options) (int, []error) {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	r := rendered{kinds: map[string]int{}}
	n := 0
	for i, doc := range splitDocuments(stream) {
		var tm struct {
			metav1.TypeMeta `json:",inline"`
			Metadata        struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		if err := yaml.Unmarshal(doc, &tm); err != nil {
			fail("document %d: not YAML: %v", i+1, err)
			continue
		}
		n++
		where := fmt.Sprintf("%s %q", tm.Kind, tm.Metadata.Name)
		obj, ok := newObject(tm.APIVersion, tm.Kind)
		if !ok {
			fail("%s: unexpected apiVersion/kind %s %s", where, tm.APIVersion, tm.Kind)
			continue
		}
		if err := decodeStrict(doc, obj); err != nil {
			fail("%s: %v", where, err)
			continue
		}
		if tm.Metadata.Name == "" {
			fail("document %d (%s): no metadata.name", i+1, tm.Kind)
		}
		r.kinds[tm.Kind]++
		switch v := obj.(type) {
		case *appsv1.Deployment:
			r.deployments = append(r.deployments, v)
		case *corev1.Service:
			r.services = append(r.services, v)
		case *corev1.ServiceAccount:
			r.serviceAccounts = append(r.serviceAccounts, v)
		case *batchv1.Job:
			r.jobs = append(r.jobs, v)
		case *policyv1.PodDisruptionBudget:
			r.pdbs = append(r.pdbs, v)
		case *autoscalingv2.HorizontalPodAutoscaler:
			r.hpas = append(r.hpas, v)
		case *networkingv1.Ingress:
			r.ingresses = append(r.ingresses, v)
		case *ScaledObject:
			r.scaledObjects = append(r.scaledObjects, v)
		case *ServiceMonitor:
			r.serviceMonitors = append(r.serviceMonitors, v)
		}
	}
	if len(errs) > 0 {
		return n, errs // the cross-document checks would only repeat the damage
	}
	for _, k := range o.ExpectKinds {
		if r.kinds[k] == 0 {
			fail("no %s rendered", k)
		}
	}
	errs = append(errs, r.checkWorkloads(o.ConfigVars)...)
	errs = append(errs, r.checkReferences()...)
	return n, errs
}

// decodeStrict decodes a YAML document the way the API server's strict field validation does:
// duplicate keys, unknown fields and fields spelt in another case are errors.
// (yaml.UnmarshalStrict alone would accept "readOnlyRootFileSystem", since encoding/json
// matches field names without regard to case.)
func decodeStrict(doc []byte, obj any) error {
	j, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return err
	}
	strict, err := kjson.UnmarshalStrict(j, obj)
	if err != nil {
		return err
	}
	if len(strict) > 0 {
		return errors.Join(strict...)
	}
	return nil
}

// splitDocuments cuts a multi-document YAML stream at its "---" lines and drops documents
// that hold only comments or blanks.
func splitDocuments(stream []byte) [][]byte {
	var docs [][]byte
	var cur bytes.Buffer
	flush := func() {
		for _, line := range strings.Split(cur.String(), "\n") {
			if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
				docs = append(docs, bytes.Clone(cur.Bytes()))
				break
			}
		}
		cur.Reset()
	}
	for _, line := range strings.SplitAfter(string(stream), "\n") {
		if strings.TrimRight(line, " \r\n") == "---" {
			flush()
			continue
		}
		cur.WriteString(line)
	}
	flush()
	return docs
}

func component(m metav1.ObjectMeta) string { return m.Labels["app.kubernetes.io/component"] }

// checkWorkloads checks the pods of the Deployments and the Job.
func (r rendered) checkWorkloads(vars []string) []error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	byComponent := map[string][]*appsv1.Deployment{}
	for _, d := range r.deployments {
		where := "Deployment " + strconv.Quote(d.Name)
		byComponent[component(d.ObjectMeta)] = append(byComponent[component(d.ObjectMeta)], d)
		if d.Spec.Selector == nil {
			fail("%s: no selector", where)
		} else if sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector); err != nil || sel.Empty() || !sel.Matches(labels.Set(d.Spec.Template.Labels)) {
			fail("%s: its selector does not match its pod template's labels", where)
		}
		errs = append(errs, checkPod(where, d.Spec.Template.Spec, vars)...)
		checkGrace(&errs, where, d.Spec.Template.Spec)
		if !slices.ContainsFunc(r.pdbs, func(p *policyv1.PodDisruptionBudget) bool { return selects(p.Spec.Selector, d.Spec.Template.Labels) }) {
			fail("%s: no PodDisruptionBudget selects its pods", where)
		}
	}
	for _, c := range []string{"api", "worker"} {
		if len(byComponent[c]) != 1 {
			fail("want one Deployment labelled app.kubernetes.io/component=%s, got %d", c, len(byComponent[c]))
		}
	}
	if ds := byComponent["api"]; len(ds) == 1 {
		d := ds[0]
		for _, c := range d.Spec.Template.Spec.Containers {
			where := fmt.Sprintf("API Deployment %q, container %q", d.Name, c.Name)
			checkHTTPProbe(&errs, where, "readinessProbe", c.ReadinessProbe, "/readyz", c)
			checkHTTPProbe(&errs, where, "livenessProbe", c.LivenessProbe, "/healthz", c)
		}
	}
	if ds := byComponent["worker"]; len(ds) == 1 {
		for _, c := range ds[0].Spec.Template.Spec.Containers {
			where := fmt.Sprintf("worker Deployment %q, container %q", ds[0].Name, c.Name)
			if c.LivenessProbe == nil && c.StartupProbe == nil {
				fail("%s: neither a liveness nor a startup probe", where)
			}
			for _, p := range []*corev1.Probe{c.LivenessProbe, c.StartupProbe, c.ReadinessProbe} {
				if p != nil && p.HTTPGet != nil && !hasPort(c, p.HTTPGet.Port) {
					fail("%s: a probe's port %s is not a port of the container", where, p.HTTPGet.Port.String())
				}
			}
		}
	}

	chartAccounts := map[string]bool{}
	for _, sa := range r.serviceAccounts {
		chartAccounts[sa.Name] = true
	}
	migrations := 0
	for _, j := range r.jobs {
		where := "Job " + strconv.Quote(j.Name)
		errs = append(errs, checkPod(where, j.Spec.Template.Spec, vars)...)
		if component(j.ObjectMeta) != "migrate" {
			continue
		}
		migrations++
		hooks := strings.Split(strings.ReplaceAll(j.Annotations["helm.sh/hook"], " ", ""), ",")
		if !slices.Contains(hooks, "pre-install") || !slices.Contains(hooks, "pre-upgrade") {
			fail("%s: helm.sh/hook is %q, want pre-install and pre-upgrade", where, j.Annotations["helm.sh/hook"])
		}
		if rp := j.Spec.Template.Spec.RestartPolicy; rp != corev1.RestartPolicyNever && rp != corev1.RestartPolicyOnFailure {
			fail("%s: restartPolicy %q", where, rp)
		}
		// A pre-install hook runs before the release's other objects exist.
		if sa := j.Spec.Template.Spec.ServiceAccountName; chartAccounts[sa] {
			fail("%s: uses ServiceAccount %q, which the release creates after its pre-install hooks", where, sa)
		}
		if cs := j.Spec.Template.Spec.Containers; len(cs) != 1 || !slices.Contains(append(slices.Clone(cs[0].Command), cs[0].Args...), "migrate") {
			fail("%s: want one container running ctl migrate", where)
		}
	}
	if migrations != 1 {
		fail("want one migration Job (app.kubernetes.io/component=migrate), got %d", migrations)
	}
	return errs
}

// checkGrace checks that Kubernetes waits for the shutdown the binaries do after SIGTERM
// (SHUTDOWN_DELAY, then SHUTDOWN_TIMEOUT) before it kills them.
func checkGrace(errs *[]error, where string, pod corev1.PodSpec) {
	grace := 30 * time.Second
	if pod.TerminationGracePeriodSeconds != nil {
		grace = time.Duration(*pod.TerminationGracePeriodSeconds) * time.Second
	}
	for _, c := range pod.Containers {
		var need time.Duration
		for _, e := range c.Env {
			if e.Name == "SHUTDOWN_DELAY" || e.Name == "SHUTDOWN_TIMEOUT" {
				if d, err := time.ParseDuration(e.Value); err == nil {
					need += d
				}
			}
		}
		if need >= grace {
			*errs = append(*errs, fmt.Errorf("%s: terminationGracePeriodSeconds (%s) must exceed SHUTDOWN_DELAY + SHUTDOWN_TIMEOUT (%s)", where, grace, need))
		}
	}
}

func checkHTTPProbe(errs *[]error, where, name string, p *corev1.Probe, path string, c corev1.Container) {
	switch {
	case p == nil:
		*errs = append(*errs, fmt.Errorf("%s: no %s", where, name))
	case p.HTTPGet == nil || p.HTTPGet.Path != path:
		*errs = append(*errs, fmt.Errorf("%s: %s must be an HTTP GET of %s", where, name, path))
	case !hasPort(c, p.HTTPGet.Port):
		*errs = append(*errs, fmt.Errorf("%s: %s port %s is not a port of the container", where, name, p.HTTPGet.Port.String()))
	}
}

// checkPod checks that every container runs as non-root on a read-only root filesystem with
// no capabilities, the runtime's seccomp profile and set resources, and gets every
// configuration variable.
func checkPod(where string, pod corev1.PodSpec, vars []string) []error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	psc := pod.SecurityContext
	if psc == nil {
		psc = &corev1.PodSecurityContext{}
	}
	if psc.RunAsUser != nil && *psc.RunAsUser == 0 {
		fail("%s: pod runs as UID 0", where)
	}
	volumes := map[string]corev1.Volume{}
	for _, v := range pod.Volumes {
		volumes[v.Name] = v
	}
	containers := append(slices.Clone(pod.InitContainers), pod.Containers...)
	if len(pod.Containers) == 0 {
		fail("%s: no containers", where)
	}
	for i, c := range containers {
		cw := fmt.Sprintf("%s, container %q", where, c.Name)
		sc := c.SecurityContext
		if sc == nil {
			fail("%s: no securityContext", cw)
			sc = &corev1.SecurityContext{}
		}
		if !isTrue(sc.RunAsNonRoot) && !isTrue(psc.RunAsNonRoot) {
			fail("%s: runAsNonRoot is not set", cw)
		}
		if sc.RunAsUser != nil && *sc.RunAsUser == 0 {
			fail("%s: runs as UID 0", cw)
		}
		if !isTrue(sc.ReadOnlyRootFilesystem) {
			fail("%s: readOnlyRootFilesystem is not true", cw)
		}
		if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			fail("%s: allowPrivilegeEscalation is not false", cw)
		}
		if isTrue(sc.Privileged) {
			fail("%s: privileged", cw)
		}
		if sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") || len(sc.Capabilities.Add) > 0 {
			fail("%s: capabilities must drop ALL and add none", cw)
		}
		seccomp := sc.SeccompProfile
		if seccomp == nil {
			seccomp = psc.SeccompProfile
		}
		if seccomp == nil || seccomp.Type != corev1.SeccompProfileTypeRuntimeDefault {
			fail("%s: seccompProfile is not RuntimeDefault", cw)
		}
		for _, kind := range []struct {
			name string
			list corev1.ResourceList
		}{{"requests", c.Resources.Requests}, {"limits", c.Resources.Limits}} {
			for _, res := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
				if q, ok := kind.list[res]; !ok || q.IsZero() {
					fail("%s: no %s %s", cw, res, kind.name)
				}
			}
		}
		if c.Image == "" {
			fail("%s: no image", cw)
		}
		for _, m := range c.VolumeMounts {
			if _, ok := volumes[m.Name]; !ok {
				fail("%s: mounts volume %q, which the pod does not define", cw, m.Name)
			}
		}
		set := map[string]bool{}
		for _, e := range c.Env {
			if set[e.Name] {
				fail("%s: %s is set twice", cw, e.Name)
			}
			set[e.Name] = true
			if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil && (e.ValueFrom.SecretKeyRef.Name == "" || e.ValueFrom.SecretKeyRef.Key == "") {
				fail("%s: %s names no Secret or key", cw, e.Name)
			}
		}
		if i >= len(pod.InitContainers) {
			for _, v := range vars {
				if !set[v] {
					fail("%s: %s is not set", cw, v)
				}
			}
			if err := acceptedByConfig(c.Env); err != nil {
				fail("%s: the binaries would refuse this environment: %v", cw, err)
			}
		}
	}
	return errs
}

func isTrue(b *bool) bool { return b != nil && *b }

func selects(s *metav1.LabelSelector, l map[string]string) bool {
	if s == nil {
		return false
	}
	sel, err := metav1.LabelSelectorAsSelector(s)
	return err == nil && !sel.Empty() && sel.Matches(labels.Set(l))
}

// hasPort says whether port (a name or a number) is one of the container's ports.
func hasPort(c corev1.Container, port intstr.IntOrString) bool {
	for _, p := range c.Ports {
		if port.Type == intstr.String && p.Name == port.StrVal || port.Type != intstr.String && p.ContainerPort == port.IntVal {
			return true
		}
	}
	return false
}

// checkReferences checks that what refers to another object of the release finds it: Services
// select pods with the ports they target, autoscalers scale a Deployment that leaves its
// replica count to them, the ServiceMonitor and the Ingress find their Services and ports.
func (r rendered) checkReferences() []error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	deployment := func(name string) *appsv1.Deployment {
		for _, d := range r.deployments {
			if d.Name == name {
				return d
			}
		}
		return nil
	}
	service := func(name string) *corev1.Service {
		for _, s := range r.services {
			if s.Name == name {
				return s
			}
		}
		return nil
	}

	for _, s := range r.services {
		where := "Service " + strconv.Quote(s.Name)
		var pods []corev1.PodTemplateSpec
		for _, d := range r.deployments {
			if len(s.Spec.Selector) > 0 && labels.SelectorFromSet(s.Spec.Selector).Matches(labels.Set(d.Spec.Template.Labels)) {
				pods = append(pods, d.Spec.Template)
			}
		}
		if len(pods) == 0 {
			fail("%s: selects no Deployment's pods", where)
		}
		for _, p := range s.Spec.Ports {
			for _, pod := range pods {
				if !slices.ContainsFunc(pod.Spec.Containers, func(c corev1.Container) bool { return hasPort(c, p.TargetPort) }) {
					fail("%s: port %q targets %s, which pods it selects do not expose", where, p.Name, p.TargetPort.String())
				}
			}
		}
	}
	for _, p := range r.pdbs {
		if !slices.ContainsFunc(r.deployments, func(d *appsv1.Deployment) bool { return selects(p.Spec.Selector, d.Spec.Template.Labels) }) {
			fail("PodDisruptionBudget %q: selects no Deployment's pods", p.Name)
		}
		if p.Spec.MinAvailable == nil && p.Spec.MaxUnavailable == nil {
			fail("PodDisruptionBudget %q: neither minAvailable nor maxUnavailable", p.Name)
		}
	}

	scaled := map[string]string{}
	target := func(where, apiVersion, kind, name string) {
		d := deployment(name)
		switch {
		case apiVersion != "apps/v1" || kind != "Deployment" || d == nil:
			fail("%s: scales %s %s %q, which is not a Deployment of the release", where, apiVersion, kind, name)
		case scaled[name] != "":
			fail("%s: %s already scales Deployment %q", where, scaled[name], name)
		case d.Spec.Replicas != nil:
			fail("%s: Deployment %q sets replicas, which would fight the autoscaler on every upgrade", where, name)
		}
		scaled[name] = where
	}
	for _, h := range r.hpas {
		where := "HorizontalPodAutoscaler " + strconv.Quote(h.Name)
		target(where, h.Spec.ScaleTargetRef.APIVersion, h.Spec.ScaleTargetRef.Kind, h.Spec.ScaleTargetRef.Name)
		if h.Spec.MinReplicas == nil || *h.Spec.MinReplicas < 1 || h.Spec.MaxReplicas < *h.Spec.MinReplicas {
			fail("%s: want 1 <= minReplicas <= maxReplicas", where)
		}
		if len(h.Spec.Metrics) == 0 {
			fail("%s: no metrics", where)
		}
	}
	for _, so := range r.scaledObjects {
		where := "ScaledObject " + strconv.Quote(so.Metadata.Name)
		ref := so.Spec.ScaleTargetRef
		if ref.APIVersion == "" {
			ref.APIVersion = "apps/v1"
		}
		if ref.Kind == "" {
			ref.Kind = "Deployment"
		}
		target(where, ref.APIVersion, ref.Kind, ref.Name)
		mn, mx := so.Spec.MinReplicaCount, so.Spec.MaxReplicaCount
		if mn == nil || *mn < 1 || mx == nil || *mx < *mn {
			fail("%s: want 1 <= minReplicaCount <= maxReplicaCount (no scaling to zero: nothing would be published)", where)
		}
		if len(so.Spec.Triggers) == 0 {
			fail("%s: no triggers", where)
		}
		var env []corev1.EnvVar
		if d := deployment(ref.Name); d != nil && len(d.Spec.Template.Spec.Containers) > 0 {
			env = d.Spec.Template.Spec.Containers[0].Env
		}
		for i, t := range so.Spec.Triggers {
			tw := fmt.Sprintf("%s, trigger %d (%s)", where, i+1, t.Type)
			need := func(keys ...string) {
				for _, k := range keys {
					if strings.TrimSpace(t.Metadata[k]) == "" {
						fail("%s: metadata.%s is required", tw, k)
					}
				}
			}
			number := func(keys ...string) {
				for _, k := range keys {
					if v, ok := t.Metadata[k]; ok {
						if f, err := strconv.ParseFloat(v, 64); err != nil || f < 0 {
							fail("%s: metadata.%s must be a number; got %q", tw, k, v)
						}
					}
				}
			}
			switch t.Type {
			case "postgresql":
				need("query", "targetQueryValue", "connectionFromEnv")
				number("targetQueryValue", "activationTargetQueryValue")
				if name := t.Metadata["connectionFromEnv"]; name != "" && !slices.ContainsFunc(env, func(e corev1.EnvVar) bool { return e.Name == name }) {
					fail("%s: connectionFromEnv %q is not set in the target's container", tw, name)
				}
				if q := strings.ToLower(t.Metadata["query"]); !strings.HasPrefix(strings.TrimSpace(q), "select") {
					fail("%s: query must be a SELECT", tw)
				}
			case "prometheus":
				need("serverAddress", "query", "threshold")
				number("threshold", "activationThreshold")
				if u, err := url.Parse(t.Metadata["serverAddress"]); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
					fail("%s: serverAddress must be an http(s) URL", tw)
				}
			default:
				fail("%s: unknown trigger type", tw)
			}
		}
	}
	for _, sm := range r.serviceMonitors {
		where := "ServiceMonitor " + strconv.Quote(sm.Metadata.Name)
		var matched []*corev1.Service
		for _, s := range r.services {
			if selects(&sm.Spec.Selector, s.Labels) {
				matched = append(matched, s)
			}
		}
		if len(matched) == 0 {
			fail("%s: selects no Service", where)
		}
		if len(sm.Spec.Endpoints) == 0 {
			fail("%s: no endpoints", where)
		}
		for _, e := range sm.Spec.Endpoints {
			for _, s := range matched {
				if !slices.ContainsFunc(s.Spec.Ports, func(p corev1.ServicePort) bool { return p.Name == e.Port }) {
					fail("%s: Service %q has no port named %q", where, s.Name, e.Port)
				}
			}
		}
	}
	for _, ing := range r.ingresses {
		for _, rule := range ing.Spec.Rules {
			if rule.HTTP == nil {
				continue
			}
			for _, p := range rule.HTTP.Paths {
				b := p.Backend.Service
				if b == nil {
					fail("Ingress %q: a path without a Service backend", ing.Name)
					continue
				}
				s := service(b.Name)
				if s == nil {
					fail("Ingress %q: backend Service %q is not in the release", ing.Name, b.Name)
					continue
				}
				if !slices.ContainsFunc(s.Spec.Ports, func(sp corev1.ServicePort) bool {
					return b.Port.Name != "" && sp.Name == b.Port.Name || b.Port.Name == "" && sp.Port == b.Port.Number
				}) {
					fail("Ingress %q: Service %q has no such port", ing.Name, b.Name)
				}
			}
		}
	}
	return errs
}

// secretStandIns are valid values for the variables the chart takes from the Secret, so that
// the rest of the environment can be run through the binaries' own validation.
var secretStandIns = map[string]string{
	"DATABASE_URL":         "postgres://orders:secret@db.example.com:5432/orders?sslmode=verify-full",
	"REDIS_URL":            "rediss://:secret@redis.example.com:6379/0",
	"JWT_SECRET":           "0123456789abcdef0123456789abcdef0123456789abcdef",
	"AI_API_KEY":           "sk-test",
	"DATABASE_REPLICA_URL": "postgres://orders:secret@replica.example.com:5432/orders?sslmode=verify-full",
}

// acceptedByConfig runs a container's environment through config.FromLookup, the validation
// every binary does at start: values as written, Secret references replaced by valid stand-ins
// (optional ones left unset). WEB_DIR is left out: it names a directory of the image.
func acceptedByConfig(env []corev1.EnvVar) error {
	m := map[string]string{}
	for _, e := range env {
		switch {
		case e.Name == "WEB_DIR":
		case e.ValueFrom == nil:
			m[e.Name] = e.Value
		case e.ValueFrom.SecretKeyRef != nil && !isTrue(e.ValueFrom.SecretKeyRef.Optional):
			v, ok := secretStandIns[e.Name]
			if !ok {
				return fmt.Errorf("%s comes from a Secret and has no stand-in value here", e.Name)
			}
			m[e.Name] = v
		}
	}
	_, err := config.FromLookup(func(k string) (string, bool) { v, ok := m[k]; return v, ok })
	return err
}

var envName = regexp.MustCompile(`\(\s*"([A-Z][A-Z0-9_]+)"`)

// ConfigVars lists the environment variables a Go source file reads: the upper-case string
// literals passed as the first argument of a call (r.str("APP_ENV", ...), lookup("JWT_SECRET")).
func ConfigVars(src []byte) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, m := range envName.FindAllSubmatch(src, -1) {
		if name := string(m[1]); !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	if len(out) < 10 {
		return nil, fmt.Errorf("found only %d environment variables in the configuration source; has it moved?", len(out))
	}
	return out, nil
}
