{{/* The release's base name, at most 63 characters. */}}
{{- define "orders.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "orders.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object; pass (dict "ctx" $ "component" "api"). */}}
{{- define "orders.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
{{ include "orders.selectorLabels" . }}
{{- end -}}

{{- define "orders.selectorLabels" -}}
app.kubernetes.io/name: {{ include "orders.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "orders.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "orders.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "orders.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Pod-level security: non-root, the runtime's default seccomp profile. */}}
{{- define "orders.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurityContext.runAsUser }}
runAsGroup: {{ .Values.podSecurityContext.runAsGroup }}
fsGroup: {{ .Values.podSecurityContext.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "orders.containerSecurityContext" -}}
runAsNonRoot: true
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The environment of the API, the worker and the migration Job: every variable
     internal/platform/config reads. */}}
{{- define "orders.env" -}}
{{- $s := .Values.secrets -}}
- name: HTTP_ADDR
  value: {{ printf "0.0.0.0:%v" .Values.api.port | quote }}
- name: METRICS_ADDR
  value: {{ printf "0.0.0.0:%v" .Values.api.metricsPort | quote }}
- name: WORKER_METRICS_ADDR
  value: {{ printf "0.0.0.0:%v" .Values.worker.metricsPort | quote }}
- name: TEMPORAL_ADDRESS
  value: {{ required "temporal.address is required (host:port of the Temporal frontend)" .Values.temporal.address | quote }}
- name: TEMPORAL_NAMESPACE
  value: {{ .Values.temporal.namespace | quote }}
{{- $tls := .Values.temporal.tls }}
- name: TEMPORAL_TLS
  value: {{ if or $tls.enabled $tls.existingSecret }}"true"{{ else }}"false"{{ end }}
- name: TEMPORAL_TLS_SERVER_NAME
  value: {{ $tls.serverName | quote }}
- name: TEMPORAL_TLS_CERT_FILE
  value: {{ ternary "/etc/orders/temporal-tls/tls.crt" "" (ne $tls.existingSecret "") | quote }}
- name: TEMPORAL_TLS_KEY_FILE
  value: {{ ternary "/etc/orders/temporal-tls/tls.key" "" (ne $tls.existingSecret "") | quote }}
- name: TEMPORAL_TLS_CA_FILE
  value: {{ ternary (printf "/etc/orders/temporal-tls/%s" $tls.caKey) "" (and (ne $tls.existingSecret "") (ne $tls.caKey "")) | quote }}
- name: TEMPORAL_API_KEY
  valueFrom:
    secretKeyRef: {name: {{ .Values.secrets.existingSecret | quote }}, key: {{ .Values.secrets.keys.temporalAPIKey | quote }}, optional: true}
{{- range $name, $value := .Values.config }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
- name: JWT_SECRET
  valueFrom:
    secretKeyRef: {name: {{ required "secrets.existingSecret is required" $s.existingSecret | quote }}, key: {{ $s.keys.jwtSecret | quote }}}
- name: JWT_PREVIOUS_SECRETS
  valueFrom:
    secretKeyRef: {name: {{ $s.existingSecret | quote }}, key: {{ $s.keys.jwtPreviousSecrets | quote }}, optional: true}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef: {name: {{ $s.existingSecret | quote }}, key: {{ $s.keys.databaseURL | quote }}}
- name: DATABASE_REPLICA_URL
{{- if .Values.database.readReplica.enabled }}
  valueFrom:
    secretKeyRef: {name: {{ $s.existingSecret | quote }}, key: {{ .Values.database.readReplica.secretKey | quote }}}
{{- else }}
  value: ""
{{- end }}
- name: REDIS_URL
{{- if .Values.redis.enabled }}
  valueFrom:
    secretKeyRef: {name: {{ $s.existingSecret | quote }}, key: {{ $s.keys.redisURL | quote }}}
{{- else }}
  value: ""
{{- end }}
- name: AI_API_KEY
  valueFrom:
    secretKeyRef: {name: {{ $s.existingSecret | quote }}, key: {{ $s.keys.aiAPIKey | quote }}, optional: true}
{{- if .Values.caBundle.existingSecret }}
- name: SSL_CERT_FILE
  value: {{ printf "/etc/orders/ca/%s" .Values.caBundle.key | quote }}
{{- end }}
{{- end -}}

{{/* GOMEMLIMIT from the container's memory limit, so the Go heap stays below it. */}}
{{- define "orders.gomemlimit" -}}
- name: GOMEMLIMIT
  valueFrom:
    resourceFieldRef:
      resource: limits.memory
{{- end -}}

{{- define "orders.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.caBundle.existingSecret }}
- name: ca-bundle
  mountPath: /etc/orders/ca
  readOnly: true
{{- end }}
{{- if .Values.temporal.tls.existingSecret }}
- name: temporal-tls
  mountPath: /etc/orders/temporal-tls
  readOnly: true
{{- end }}
{{- end -}}

{{- define "orders.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- if .Values.caBundle.existingSecret }}
- name: ca-bundle
  secret:
    secretName: {{ .Values.caBundle.existingSecret | quote }}
    items:
      - key: {{ .Values.caBundle.key | quote }}
        path: {{ .Values.caBundle.key | quote }}
{{- end }}
{{- if .Values.temporal.tls.existingSecret }}
# The whole Secret, not single keys: Kubernetes then replaces the files when cert-manager
# renews the certificate, and the client reads them again for its next connection.
- name: temporal-tls
  secret:
    secretName: {{ .Values.temporal.tls.existingSecret | quote }}
{{- end }}
{{- end -}}
