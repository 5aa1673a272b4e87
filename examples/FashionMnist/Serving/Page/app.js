// The Fashion-MNIST page: draw or upload, POST the image to the model, show the top 5 and the provenance.
"use strict";
const model = "fashion";
const canvas = document.getElementById("canvas");
const pen = canvas.getContext("2d");
const error = document.getElementById("error");

function clearCanvas() {
  pen.fillStyle = "#000";
  pen.fillRect(0, 0, canvas.width, canvas.height);
}

// Strokes are white on black and thick, as the data set's garments are light on a dark ground.
let drawing = false;
function point(event) {
  const box = canvas.getBoundingClientRect();
  return [(event.clientX - box.left) * canvas.width / box.width, (event.clientY - box.top) * canvas.height / box.height];
}
canvas.addEventListener("pointerdown", event => {
  drawing = true;
  canvas.setPointerCapture(event.pointerId);
  const [x, y] = point(event);
  pen.beginPath();
  pen.moveTo(x, y);
});
canvas.addEventListener("pointermove", event => {
  if (!drawing) return;
  const [x, y] = point(event);
  pen.lineTo(x, y);
  pen.strokeStyle = "#fff";
  pen.lineWidth = 22;
  pen.lineCap = "round";
  pen.lineJoin = "round";
  pen.stroke();
});
canvas.addEventListener("pointerup", () => { drawing = false; });

function showError(text) {
  error.textContent = text;
  error.hidden = !text;
}

async function predict(blob, type) {
  showError("");
  const response = await fetch(`models/${model}/predict?top=5`, { method: "POST", headers: { "Content-Type": type }, body: blob });
  const answer = await response.json();
  if (!response.ok) {
    showError(`${answer.title}: ${answer.detail}`);
    return;
  }
  showTop(answer.predictions[0]);
}

function showTop(prediction) {
  const list = document.getElementById("top");
  list.replaceChildren(...prediction.top.map(entry => {
    const item = document.createElement("li");
    item.dataset.index = entry.index;
    const label = document.createElement("span");
    label.className = "label";
    label.textContent = entry.label;
    const bar = document.createElement("span");
    bar.className = "bar";
    const fill = document.createElement("span");
    fill.className = "fill";
    fill.style.width = `${(entry.probability * 100).toFixed(1)}%`;
    bar.append(fill);
    const value = document.createElement("span");
    value.className = "value";
    value.textContent = `${(entry.probability * 100).toFixed(1)} %`;
    item.append(label, bar, value);
    return item;
  }));
  const top = document.getElementById("top-class");
  top.dataset.index = prediction.index;
  top.textContent = `Most probable: ${prediction.label}`;
  top.hidden = false;
}

function drawPreview(file) {
  const image = new Image();
  image.onload = () => {
    clearCanvas();
    const scale = Math.min(canvas.width / image.width, canvas.height / image.height);
    const w = image.width * scale, h = image.height * scale;
    pen.imageSmoothingEnabled = false;
    pen.drawImage(image, (canvas.width - w) / 2, (canvas.height - h) / 2, w, h);
    URL.revokeObjectURL(image.src);
  };
  image.src = URL.createObjectURL(file);
}

document.getElementById("clear").addEventListener("click", clearCanvas);
document.getElementById("predict").addEventListener("click", () => canvas.toBlob(blob => predict(blob, "image/png"), "image/png"));
document.getElementById("file").addEventListener("change", event => {
  const file = event.target.files[0];
  if (!file) return;
  drawPreview(file);
  predict(file, file.type || "application/octet-stream");
  event.target.value = "";
});

function row(list, name, value) {
  const term = document.createElement("dt");
  term.textContent = name;
  const description = document.createElement("dd");
  description.textContent = value ?? "–";
  list.append(term, description);
}

function metric(run, key) {
  const value = run?.metrics?.[key];
  return value ? `${value.final.toFixed(4)} (best ${value.best.toFixed(4)} at epoch ${value.bestEpoch})` : null;
}

async function showProvenance() {
  const response = await fetch(`models/${model}`);
  const provenance = await response.json();
  const list = document.getElementById("provenance");
  list.replaceChildren();
  const run = provenance.run;
  row(list, "Run", run ? `${run.name} (${run.status}, ${run.epoch} epochs)` : "in memory");
  row(list, "Directory", provenance.runDirectory);
  row(list, "Test accuracy", metric(run, "test_accuracy") ?? "not recorded");
  row(list, "Validation accuracy", metric(run, "validation_accuracy"));
  row(list, "Hyperparameters", run ? Object.entries(run.hyperparameters).map(([k, v]) => `${k}=${v}`).join(", ") : null);
  for (const [split, fingerprint] of Object.entries(run?.data ?? {})) row(list, `Data: ${split}`, fingerprint);
  const weights = provenance.weights;
  row(list, "Weights", weights ? `${weights.path} (${weights.choice ?? "?"}, epoch ${weights.epoch ?? "?"})` : null);
  row(list, "Weights SHA-256", weights?.sha256);
  row(list, "Input → output", `float32 [N, ${provenance.input.shape.join(", ")}] → [N, ${provenance.output.shape.join(", ")}]`);
  row(list, "Trained with", run?.versions ? `TinyDl ${run.versions.tinyDl}, TorchSharp ${run.versions.torchSharp}, ${run.versions.dotNet}` : null);
  list.dataset.loaded = "true";
}

clearCanvas();
showProvenance().catch(reason => showError(`Provenance: ${reason}`));
