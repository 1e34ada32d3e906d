{{/* Chart name, truncated to the 63 characters a DNS label allows. */}}
{{- define "delivery-worker.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: release-chart unless the release name already contains the chart name. */}}
{{- define "delivery-worker.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "delivery-worker.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "delivery-worker.selectorLabels" -}}
app.kubernetes.io/name: {{ include "delivery-worker.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "delivery-worker.labels" -}}
helm.sh/chart: {{ include "delivery-worker.chart" . }}
{{ include "delivery-worker.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: worker
{{- end }}

{{- define "delivery-worker.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "delivery-worker.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Delivery:ShutdownTimeout as a TimeSpan string (hh:mm:ss) from shutdownTimeoutSeconds. */}}
{{- define "delivery-worker.shutdownTimeout" -}}
{{- $s := int .Values.shutdownTimeoutSeconds }}
{{- printf "%02d:%02d:%02d" (div $s 3600) (mod (div $s 60) 60) (mod $s 60) }}
{{- end }}

{{/* The pod's grace period: always longer than the worker's own shutdown timeout. */}}
{{/* spec.behavior.scaleDown of the HPA and the KEDA ScaledObject: podsPerPeriod pods per period, the period at
     least terminationGracePeriodSeconds (a shorter scaleDown.periodSeconds is raised to it). */}}
{{- define "delivery-worker.scaleDownBehavior" -}}
scaleDown:
  stabilizationWindowSeconds: {{ .Values.scaleDown.stabilizationWindowSeconds }}
  selectPolicy: Min
  policies:
    - type: Pods
      value: {{ .Values.scaleDown.podsPerPeriod }}
      periodSeconds: {{ max (int .Values.scaleDown.periodSeconds) (int (include "delivery-worker.terminationGracePeriodSeconds" .)) }}
{{- end }}

{{- define "delivery-worker.terminationGracePeriodSeconds" -}}
{{- add (int .Values.shutdownTimeoutSeconds) (max 6 (int .Values.terminationGraceExtraSeconds)) }}
{{- end }}

{{/* appsettings.Production.json: extraAppSettings plus Delivery (.Values.delivery with the chart-owned ShutdownTimeout and Http.Port). */}}
{{- define "delivery-worker.deliverySection" -}}
{{- $delivery := deepCopy .Values.delivery }}
{{- $_ := set $delivery "ShutdownTimeout" (include "delivery-worker.shutdownTimeout" .) }}
{{- $_ := set $delivery "Http" (dict "Port" (int .Values.http.port)) }}
{{- $root := deepCopy .Values.extraAppSettings }}
{{- $_ := set $root "Delivery" $delivery }}
{{- toPrettyJson $root }}
{{- end }}

{{/* Fails rendering on combinations the schema cannot express clearly. */}}
{{- define "delivery-worker.validate" -}}
{{- if and .Values.autoscaling.enabled .Values.keda.enabled }}
{{- fail "autoscaling.enabled and keda.enabled are mutually exclusive: enable the CPU HorizontalPodAutoscaler or the KEDA ScaledObject, not both" }}
{{- end }}
{{- if and .Values.keda.enabled (not (or .Values.keda.bootstrapServers .Values.delivery.Kafka.BootstrapServers)) }}
{{- fail "keda.enabled needs keda.bootstrapServers or delivery.Kafka.BootstrapServers" }}
{{- end }}
{{- if .Values.delivery.Kafka.Embedded }}
{{- fail "delivery.Kafka.Embedded is the in-memory demo broker and never runs in a cluster: set delivery.Kafka.BootstrapServers" }}
{{- end }}
{{- range $key, $_ := .Values.delivery.Kafka.Client }}
{{- if regexMatch "(?i)^group\\.instance\\.id$" $key }}
{{- fail "delivery.Kafka.Client.group.instance.id: the chart uses dynamic membership (one ConfigMap serves every pod, and static members made rolling updates and scale-in slower: docs/decisions.md)" }}
{{- end }}
{{- if regexMatch "(?i)(password|secret|^ssl\\.key\\.pem$|^sasl\\.username$|^sasl\\.oauthbearer\\.config$)" $key }}
{{- fail (printf "delivery.Kafka.Client.%s is a secret: set kafka.sasl.existingSecret (SASL) or use secretFiles/secretEnv, never an inline value" $key) }}
{{- end }}
{{- end }}
{{- end }}
